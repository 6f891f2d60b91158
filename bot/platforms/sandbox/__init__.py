"""The sandbox: an offline, simulated network that behaves like a platform."""
