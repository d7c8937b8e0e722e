"""``draftgen serve``: a local workbench in the browser — the fact sheet as a form
beside its YAML, the draft re-rendered on each change, DOCX in and out, the phrase bank.

Everything a page does goes through the small JSON API in :mod:`draftgen.web.app`,
which calls the same library functions as the command line.
"""
