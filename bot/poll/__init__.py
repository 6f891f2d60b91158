"""Polling and streaming: fetch what came back, file it, move the cursor in the same transaction."""
