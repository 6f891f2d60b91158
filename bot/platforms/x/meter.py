"""The X adapter's meter (a mixin of `XPlatform`): every request billed at X's prices as X bills it (each
resource once a UTC day, dated by the injected clock), the budget check before a call, and the page size a poll
can still pay for at worst (polling's share: the limit less the reserve kept for posts; `x/metering.py`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.platforms.x.metering import (
    PRICE_OWNED_READ,
    PRICE_POST_READ,
    PRICE_USER_READ,
    BudgetWindow,
    check,
    page_size,
    window,
)
from bot.platforms.x.tweets import query_of

PAGE_MAX = 100  # max_results: X's largest page


@dataclass(frozen=True)
class Usage:
    """One metered API request: what it read or wrote and what X bills for it."""

    endpoint: str
    resources: int
    usd: float
    at: datetime
    query_id: str | None = None  # the query this was spent for; None = shared (a poll page of nobody's posts)


class Meter:
    """The metering half of `XPlatform`: it uses the adapter's clock, limits and running spend."""

    now: Callable[[], datetime]
    budget_usd: float | None
    budget_window: BudgetWindow | None
    poll_budget: float | None  # what polls may spend (the limit less the reserve); None: no budget
    poll_stopped: bool
    spent_usd: float
    usage: list[Usage]
    current_query: str | None
    _billed: set[tuple[str, str, str]]

    # ------------------------------------------------------------------------------------------ metering
    @property
    def spent(self) -> float:
        return self.spent_usd

    def _check_budget(self, endpoint: str, usd: float) -> None:
        within = self.budget_window or window(self.now())
        check(endpoint, usd, spent=self.spent_usd, limit=self.budget_usd, within=within)

    def _fitted_page(self, endpoint: str, per_item: float, largest: int, smallest: int = 5) -> int:
        """The page size (`max_results`) the whole budget can still pay for at worst (`per_item` a result),
        shrunk from `largest`; the budget check's refusal when not even `smallest` results fit."""
        size = page_size(
            per_item, spent=self.spent_usd, limit=self.budget_usd, largest=largest, smallest=smallest
        )
        if not size:
            self._check_budget(endpoint, per_item * smallest)
        return size

    def _meter(self, endpoint: str, resources: int, usd: float, query_id: str | None = None) -> None:
        self.spent_usd += usd
        at = self.now().astimezone(UTC)
        self.usage.append(Usage(endpoint, resources, round(usd, 6), at, query_id or self.current_query))

    def _meter_reads(
        self,
        endpoint: str,
        tweets: Sequence[dict[str, Any]],
        users: Sequence[dict[str, Any]],
        *,
        owned: bool,
        queries: dict[str, str] | None = None,
    ) -> None:
        """Bill what a read returned (each resource once a UTC day). With `queries` (our post id -> query id,
        for polls) the bill is split: a post goes to the query its conversation hangs from, a user to the
        query of one of their posts on the page, the rest is shared (query None). Otherwise everything goes to
        `current_query`."""
        day = self.now().astimezone(UTC).date().isoformat()
        shares: dict[str | None, list[float]] = {}
        author_query: dict[str, str | None] = {}

        def bill(kind: str, item: dict[str, Any], price: float, query: str | None) -> None:
            share = shares.setdefault(query, [0.0, 0.0])
            key = (kind, str(item.get("id")), day)
            if key not in self._billed:
                self._billed.add(key)
                share[0] += price
            share[1] += 1

        for tweet in tweets:
            query = query_of(tweet, queries) if queries is not None else self.current_query
            if author_query.get(str(tweet.get("author_id"))) is None:
                author_query[str(tweet.get("author_id"))] = query
            bill("post", tweet, PRICE_OWNED_READ if owned else PRICE_POST_READ, query)
        for user in users:
            query = author_query.get(str(user.get("id"))) if queries is not None else self.current_query
            bill("user", user, PRICE_USER_READ, query)
        if not shares:
            shares[None if queries is not None else self.current_query] = [0.0, 0.0]
        for query, (usd, count) in shares.items():
            self.spent_usd += usd
            at = self.now().astimezone(UTC)
            self.usage.append(Usage(endpoint, int(count), round(usd, 6), at, query))

    def _poll_page(self, per_item: float, smallest: int) -> int:
        """The page size (`max_results`) polling can still pay for at worst; 0 (and `poll_stopped`) when not
        even X's smallest page fits what polls may spend."""
        size = page_size(
            per_item, spent=self.spent_usd, limit=self.poll_budget, largest=PAGE_MAX, smallest=smallest
        )
        self.poll_stopped = self.poll_stopped or not size
        return size
