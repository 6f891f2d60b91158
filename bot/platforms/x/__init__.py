"""X: its adapter over tweepy, metering and the OAuth 2.0 login."""
