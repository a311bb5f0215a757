"""`python -m lti_tool.cli`: the same as the `careerpath` command."""

import sys

from . import main

sys.exit(main())
