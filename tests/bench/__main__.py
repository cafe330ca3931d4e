"""``python -m tests.bench`` (``make bench``): measure and print the table."""

from tests.bench.run import main

raise SystemExit(main())
