"""`sqbot browse`: Datasette over the lead database, read-only, neutralised downloads."""
