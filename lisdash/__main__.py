"""`python -m lisdash`: the command line (lisdash.cli)."""

from lisdash.cli import main

raise SystemExit(main())
