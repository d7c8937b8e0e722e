"""The phrase bank and the wording lexicon."""
