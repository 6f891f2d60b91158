"""Platform adapters. Each is imported lazily (see `bot.platforms.registry`) so SDK imports stay off the CLI's
start-up path."""
