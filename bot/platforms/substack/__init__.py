"""Substack: comments under hand-published posts, and Notes."""
