"""Running it: the service functions, the daemon, status and health, logs, the data folder."""
