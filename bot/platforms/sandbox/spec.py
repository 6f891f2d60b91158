"""The sandbox's facts: it stands in for every platform (under their names), so it has no post rules of its
own; only where its simulated posts and profiles live, and its name for data filed as "sandbox"."""

from __future__ import annotations

LABEL = "Sandbox"
HOSTS = ("sandbox.invalid",)
