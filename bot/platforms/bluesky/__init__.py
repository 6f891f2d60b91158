"""Bluesky: its adapter over XRPC, AT Protocol helpers."""
