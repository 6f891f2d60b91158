"""Posting: what is due when, and the outbox state machine that posts each query exactly once."""
