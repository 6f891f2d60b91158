"""What understanding a reply yields: its intent, referrals and priority, and the size limits (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Intent = Literal["referral", "offer", "resource", "answer", "question", "social", "critique", "spam", "abuse"]
Priority = Literal["high", "medium", "low", "none"]

MAX_CHARS = 1600  # safety rules (spam, injection, payloads, abuse) read this much: head and tail of a reply
MAX_HANDLES = 25  # no real reply names more people than this; bounds the work on mention floods
VIEW_HEAD, VIEW_TAIL = 800, 200  # the other rules read the head and tail of a long reply (5 ms budget)


@dataclass(frozen=True)
class Referral:
    handle: str | None
    name: str | None
    platform: str | None
    kind: Literal["person", "org"]


@dataclass(frozen=True)
class Understanding:
    intent: Intent
    referrals: tuple[Referral, ...]
    offers_contact: bool
    lead_priority: Priority
    language: str | None
