"""Keeping things safe: the redactor, atomic private files, attacker text made safe."""
