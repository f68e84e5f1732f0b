from lisdash.cli import main

raise SystemExit(main())
