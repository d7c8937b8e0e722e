"""Job 3, curating the phrase bank: lint, edits, harvest, mining."""
