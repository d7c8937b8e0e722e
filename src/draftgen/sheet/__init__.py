"""The fact sheet: its model, validation, contract, YAML loading and writing, skeleton."""
