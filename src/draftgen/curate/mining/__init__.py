"""Growing the phrase bank: mining candidate formulations from reports, and
harvesting what writers wrote into their drafts."""
