"""Writers and readers of finished drafts."""
