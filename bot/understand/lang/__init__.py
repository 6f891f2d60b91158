"""Cue phrases by language: one module per language, each a `Cues` (lang/base.py) of the same shape."""
