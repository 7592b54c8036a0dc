"""``python -m pipeline``: the command line."""

import sys

try:
    from pipeline.cli import main
except KeyboardInterrupt:  # Ctrl-C while starting: a word, not a traceback
    sys.stderr.write("interrupted\n")
    raise SystemExit(130) from None

raise SystemExit(main())
