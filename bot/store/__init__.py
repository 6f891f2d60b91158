"""The lead database: every SQL statement sqbot runs lives in this package."""
