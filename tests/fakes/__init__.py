"""Local fakes of the platforms' APIs, served on loopback for the tests."""
