"""Job 1, drafting: facts → phrase choice → render."""
