"""From a report the office already has to a fact sheet (``draftgen extract``)."""
