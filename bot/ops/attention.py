"""What needs the owner: ONE list, built here from plain data, shown by `sqbot status` (and counted by
`sqbot health`) and by the digest's "Needs your attention" section.

Every item names its source (a platform, or a daemon job) and its kind:

=============  ========================================================================================
kind           when
=============  ========================================================================================
`login`        a platform keeps an attention text (a refused login, a usage cap): nothing runs there
`budget`       X's monthly budget is spent (or the budget check deferred X to the month's end)
`unread`       replies known and not read yet (a reply flood past the budget: read later, oldest first), or
               polling's share of the X budget spent (the reserve kept for posts): new replies wait
`rate limit`   a platform is deferred until a time (a 429)
`needs_review` a post's outcome is unknown and could not be proved either way: never retried by itself
`failed`       a post was refused for good
`failed job`   a daemon job failed at its last run (e.g. a query that cannot be scheduled)
=============  ========================================================================================

Pure: the rows come from `bot.store.status.attention_data`, the budget from `bot.store.metering.x_budget`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.platforms.x.metering import Budget
    from bot.store.status import AttentionData

STREAK_UNHEALTHY = 3  # a daemon job failing this many runs in a row makes `sqbot health` fail

LOGIN, BUDGET, UNREAD, RATE_LIMIT = "login", "budget", "unread", "rate limit"
NEEDS_REVIEW, FAILED, FAILED_JOB = "needs_review", "failed", "failed job"
KINDS = (LOGIN, BUDGET, UNREAD, RATE_LIMIT, NEEDS_REVIEW, FAILED, FAILED_JOB)

# the digest's short heading per kind ("X: budget — X budget reached: ...")
_HEADINGS = {
    LOGIN: "needs attention",
    BUDGET: "budget",
    UNREAD: "replies waiting",
    RATE_LIMIT: "waiting",
    NEEDS_REVIEW: "post needs review",
    FAILED: "post failed",
    FAILED_JOB: "job failing",
}


@dataclass(frozen=True)
class Attention:
    source: str  # a platform ("x", "bluesky") or a daemon job ("post", "poll:x", "digest")
    kind: str  # one of KINDS
    text: str  # what is wrong (and until when), without the source
    since: datetime | None = None
    until: datetime | None = None  # it goes away by itself then (a deferral, the budget month)

    @property
    def heading(self) -> str:
        """The digest's heading for this kind."""
        return _HEADINGS[self.kind]

    @property
    def line(self) -> str:
        """The one-line form `sqbot status` prints after "attention: "."""
        if self.kind == FAILED_JOB:
            return f"job {self.source} {self.text}"
        if self.kind in (NEEDS_REVIEW, FAILED):
            return f"{self.source}: {self.heading}: {self.text}"
        return f"{self.source}: {self.text}"


def build(data: AttentionData, budget: Budget | None, now: datetime) -> list[Attention]:
    """Every item, in order: per platform (login, budget, rate limit), unread replies, then posts, then failing
    jobs.

    X's deferral to the end of the budget month is the budget check's: it reads as the budget (with the
    figures), not as a rate limit. `budget` None: not known (the budget line is then never shown)."""
    out: list[Attention] = []
    budget_shown = False
    for p in data.platforms:
        if p.attention:
            out.append(Attention(p.platform, LOGIN, p.attention, since=p.updated_at))
        deferred = p.deferred_until if p.deferred_until is not None and p.deferred_until > now else None
        if p.platform == "x" and budget is not None and (budget.exhausted or budget.deferred_by(deferred)):
            out.append(_budget(budget))
            budget_shown = True
        elif deferred is not None:
            out.append(
                Attention(
                    p.platform,
                    RATE_LIMIT,
                    f"rate limited until {deferred.isoformat()}",
                    p.updated_at,
                    deferred,
                )
            )
    if budget is not None and budget.exhausted and not budget_shown:  # spent, and X not (yet) deferred
        out.insert(_position(out, "x"), _budget(budget))
        budget_shown = True
    out += _unread(data, None if budget_shown else budget)
    out += [
        Attention(
            r.platform,
            NEEDS_REVIEW if r.status == "needs_review" else FAILED,
            f"query {r.query_id}" + (f": {r.last_error}" if r.last_error else ""),
            since=r.updated_at,
        )
        for r in data.posts
    ]
    out += [
        Attention(
            j.job,
            FAILED_JOB,
            (f"failed its last {j.streak} runs" if j.streak > 1 else "failed at its last run")
            + f" ({j.last_start}; last ok {j.last_ok or 'never'}): {j.last_error}",
            since=None,
        )
        for j in data.jobs
    ]
    return out


def _unread(data: AttentionData, budget: Budget | None) -> list[Attention]:
    """Replies not read for the budget: a backlog in the cursor (counted in stretches, with how old), or
    polling's share spent while posts still have the reserve."""
    out = []
    paused = budget is not None and budget.polls_paused
    for u in data.unread:
        older = f" older than {u.older_than:%Y-%m-%d %H:%M} UTC" if u.older_than is not None else ""
        stretches = "1 stretch" if u.stretches == 1 else f"{u.stretches} stretches"
        out.append(
            Attention(
                u.platform,
                UNREAD,
                f"replies not read yet for the budget ({stretches} of the mentions timeline{older}): "
                "read later, oldest first",
            )
        )
    if paused and budget is not None:
        out.append(Attention("x", UNREAD, budget.paused_text, budget.window.start, budget.window.end))
    return out


def unhealthy(data: AttentionData) -> str:
    """Why `sqbot health` fails for what needs the owner: a job failing `STREAK_UNHEALTHY` runs in a row (a
    wedge, a bug hit every tick). Empty when none is."""
    stuck = [j for j in data.jobs if j.streak >= STREAK_UNHEALTHY]
    return "; ".join(
        f"job {j.job} failed its last {j.streak} runs (last ok {j.last_ok or 'never'}): {j.last_error}"
        for j in stuck
    )


def _budget(budget: Budget) -> Attention:
    return Attention("x", BUDGET, budget.reached_text, budget.window.start, budget.window.end)


def _position(items: Sequence[Attention], platform: str) -> int:
    """Where an item of `platform` goes among the platform items (sorted by platform name)."""
    return sum(1 for a in items if a.source < platform)


def lines(items: Sequence[Attention]) -> list[str]:
    """`sqbot status`'s attention lines."""
    return [f"attention: {a.line}" for a in items] or ["attention: none"]


def summary(items: Sequence[Attention]) -> str:
    """`sqbot health`'s note: how many things need the owner (never a reason to fail the probe)."""
    if not items:
        return ""
    n = len(items)
    return f"; {n} {'thing needs' if n == 1 else 'things need'} attention (`sqbot status`)"
