"""`python -m hotline.cli` = the `hotline` command (used by benchmarks to start a runtime process)."""

from . import main

main()
