"""``python -m mapping``: the data maintainer's command line."""

import sys

from mapping.cli import main

sys.exit(main())
