"""`python -m lisdash`: the command line (lisdash.cli). Output cut short by its reader (`| head`) ends quietly."""

import os
import sys

from lisdash.cli import main

try:
    code = main()
    sys.stdout.flush()
except BrokenPipeError:  # the reader has gone: nothing more to say, and nothing to say it to
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    code = 1
raise SystemExit(code)
