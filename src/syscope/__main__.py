import sys

from syscope.cli.main import main

sys.exit(main(sys.argv[1:]))
