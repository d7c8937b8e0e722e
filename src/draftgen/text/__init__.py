"""Chinese report text, knowing nothing of a fact sheet: numbers, numbering labels,
sentences, typography, segmentation."""
