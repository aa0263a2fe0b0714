"""Entry point for `python -m chinwag`."""

from chinwag.cli import main

main()
