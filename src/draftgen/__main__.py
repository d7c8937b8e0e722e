"""``python -m draftgen``: the same commands as ``draftgen`` (on Windows, where the script may not be on PATH)."""

from draftgen.cli import main

if __name__ == "__main__":
    main()
