"""Files in and out: the DOCX writer and reader, the package, tracked changes, the record,
safe output, and the one way to read a draft."""
