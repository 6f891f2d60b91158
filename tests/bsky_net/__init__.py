"""The project's local Bluesky network harness (see README.md here)."""
