from afmon.cli import main

raise SystemExit(main())
