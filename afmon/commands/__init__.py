"""One module per `afmon` subcommand; see afmon/cli.py."""
