"""The X mentions cursor, with its backlog: what of the mentions timeline is filed, and what is not read yet.

X serves the mentions timeline newest first. A reply flood bigger than what a poll reads (the budget, or the
page cap) would push the oldest mentions, often the real lead, out of reach if the cursor simply jumped to the
newest id. So the cursor keeps, next to the head (the newest filed id: `since_id` for new mentions), the
stretches of the timeline not read yet: `gaps`, each `(lo, hi)` = the ids strictly between `lo` and `hi`
(`since_id=lo`, `until_id=hi`; `lo` 0: no lower bound), oldest stretch first.

A poll reads the oldest gap first (page by page: each page is the newest part of what is left of it, so the
gap shrinks from the top, `hi` = the oldest id read), then the next gap, then new mentions past the head. A
head read that stops before its end leaves a new gap below what it read. Every page read is filed, and the
cursor moves with those rows (one transaction), so what was paid for is kept and nothing unread is skipped.

The cursor text is `HEAD` (what older versions stored, still read) or `HEAD|LO-HI|LO-HI...`, with an
optional `@SINCE` on each gap (the time of the oldest post read above it: what `status` shows). Pure.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime


@dataclass(frozen=True)
class Gap:
    lo: int  # exclusive; 0: from the start of what X serves
    hi: int  # exclusive
    before: datetime | None = None  # the oldest post read above the gap: its posts are older than this

    def text(self) -> str:
        at = f"@{self.before.isoformat()}" if self.before is not None else ""
        return f"{self.lo}-{self.hi}{at}"


@dataclass(frozen=True)
class Backlog:
    head: str | None  # the newest filed mention (since_id for new mentions); None: none yet
    gaps: tuple[Gap, ...] = ()  # stretches not read yet, oldest first

    @classmethod
    def parse(cls, cursor: str | None) -> Backlog:
        """The cursor `fetch` was given (None, an old plain id, or the text of :meth:`text`)."""
        if not cursor:
            return cls(None)
        head, *rest = cursor.split("|")
        gaps = []
        for part in rest:
            span, _, at = part.partition("@")
            lo, _, hi = span.partition("-")
            if lo.isdigit() and hi.isdigit() and int(lo) < int(hi):
                gaps.append(Gap(int(lo), int(hi), datetime.fromisoformat(at) if at else None))
        return cls(head if head.isdigit() else None, tuple(sorted(gaps, key=lambda g: g.lo)))

    def text(self) -> str | None:
        """The cursor to store (None: nothing to store yet)."""
        if not self.gaps:
            return self.head
        return "|".join([self.head or "", *(g.text() for g in self.gaps)])

    @property
    def waiting(self) -> bool:
        """Whether part of the timeline is known and not read yet."""
        return bool(self.gaps)

    @property
    def oldest_before(self) -> datetime | None:
        """The unread posts of the oldest gap are older than this (when known)."""
        return self.gaps[0].before if self.gaps else None

    def window(self) -> tuple[int | None, int | None]:
        """The next read, `(since_id, until_id)`: the oldest gap first, else new mentions past the head."""
        if self.gaps:
            g = self.gaps[0]
            return (g.lo or None, g.hi)
        return (int(self.head) if self.head else None, None)

    def after_page(self, ids: list[int], more: bool, oldest_at: datetime | None) -> Backlog:
        """The backlog once the page of :meth:`window` came back with these post ids (`more`: X has more in that
        window, below the page). Ids only grow with time, so what is left of the window is below the page."""
        if self.gaps:
            g, rest = self.gaps[0], self.gaps[1:]
            if more and ids:
                return replace(self, gaps=(Gap(g.lo, min(ids), oldest_at or g.before), *rest))
            return self if more else replace(self, gaps=rest)
        if not ids:
            return self
        head = str(max(ids))
        if not more:
            return Backlog(head, self.gaps)
        below = Gap(int(self.head) if self.head else 0, min(ids), oldest_at)
        return Backlog(head, (*self.gaps, below))
