"""X metering: what X bills, the monthly budget window, and the budget check. The one place that knows them.

* Prices: X's pay-per-use prices, USD per resource (X docs, 2026). A resource (a post, a user) read twice in one
  UTC day is billed once (the adapter keeps the per-day set; the prices are here).
* The budget window is the calendar month in UTC: `[first of the month 00:00 UTC, first of the next month)`,
  whatever the owner's time zone. Spend is summed over it (`bot.store.metering.spent_in`), the check refuses a
  call that would take the spend past the limit, and the refusal defers X until the window's end.
* The default limit (`SQBOT_X_BUDGET_USD`) is :data:`DEFAULT_BUDGET_USD`; `bot.config` and `bot.ops.datadir`
  read it from here.
* A hard limit: a request is priced BEFORE it is sent by the most it can return (a page of `n` posts with their
  authors expanded is `n` posts and `n` users), and a page is shrunk (`max_results`) to what fits
  (:func:`page_size`); a page that does not fit even at X's minimum size is not asked for.
* Polling never spends the reserve (`SQBOT_X_POLL_RESERVE_USD`, by default a fifth of the limit): posts and
  follow-ups still go out after a reply flood used the rest (:func:`poll_limit`).

Pure: no SDK, no store, no clock (every function takes `now` or a window), so `sqbot status` and `sqbot stats`
import it cheaply.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.errors import RateLimited

NAME = "x"
DEFAULT_BUDGET_USD = 5.0  # SQBOT_X_BUDGET_USD when unset
DEFAULT_POLL_RESERVE = 0.2  # SQBOT_X_POLL_RESERVE_USD when unset: this fraction of the limit

PRICE_POST_READ = 0.005
PRICE_USER_READ = 0.010
PRICE_OWNED_READ = 0.001
PRICE_POST_CREATE = 0.015
PRICE_POST_CREATE_URL = 0.20
MENTIONS_PAGE_MIN, SEARCH_PAGE_MIN = 5, 10  # X's smallest max_results per endpoint
MENTION_ITEM = (
    PRICE_OWNED_READ + PRICE_USER_READ
)  # a polled mention at worst: the post and its author, expanded
SEARCH_ITEM = PRICE_POST_READ + PRICE_USER_READ
CHEAPEST = min(PRICE_POST_READ, PRICE_USER_READ, PRICE_OWNED_READ, PRICE_POST_CREATE, PRICE_POST_CREATE_URL)
_SLACK = 1e-9  # float sums of prices: $5.000000001 is $5


@dataclass(frozen=True)
class BudgetWindow:
    """One budget month: `[start, end)` in UTC."""

    start: datetime
    end: datetime

    @property
    def month(self) -> str:
        """`YYYY-MM`, the key `sqbot stats` groups by."""
        return f"{self.start:%Y-%m}"

    @property
    def name(self) -> str:
        """The month's name, e.g. `December`."""
        return f"{self.start:%B}"

    @property
    def until_text(self) -> str:
        """When the next window opens, e.g. `1 Jan`."""
        return f"{self.end.day} {self.end:%b}"

    def __contains__(self, at: datetime) -> bool:
        return self.start <= at < self.end


def window(now: datetime) -> BudgetWindow:
    """The budget month `now` falls in (UTC: 23:30 on 31 Dec in New York is already January)."""
    if now.tzinfo is None:
        raise ValueError("naive datetime given to the X budget window; sqbot only uses aware datetimes")
    u = now.astimezone(UTC)
    start = datetime(u.year, u.month, 1, tzinfo=UTC)
    end = (
        datetime(u.year + 1, 1, 1, tzinfo=UTC)
        if u.month == 12
        else datetime(u.year, u.month + 1, 1, tzinfo=UTC)
    )
    return BudgetWindow(start, end)


def month_window(month: str) -> BudgetWindow:
    """The window of a `YYYY-MM` month (`sqbot stats --month`); ValueError when it is not one."""
    return window(datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC))


def fits(spent: float, limit: float | None, usd: float) -> bool:
    """Whether a call costing `usd` stays within the limit (None: no budget)."""
    return limit is None or spent + usd <= limit + _SLACK


def poll_limit(limit: float | None, reserve: float | None) -> float | None:
    """What polling may spend of `limit`: all of it but the reserve kept for posts and follow-ups (`reserve`
    None: :data:`DEFAULT_POLL_RESERVE` of the limit). None: no budget."""
    if limit is None:
        return None
    kept = limit * DEFAULT_POLL_RESERVE if reserve is None else reserve
    return max(limit - min(max(kept, 0.0), limit), 0.0)


def page_size(per_item: float, *, spent: float, limit: float | None, largest: int, smallest: int) -> int:
    """The largest page (`max_results`, at most `largest`) whose worst case (`per_item` for each result) keeps
    the spend within `limit`; 0 when not even `smallest` results fit (X refuses smaller pages)."""
    if limit is None:
        return largest
    n = min(largest, int((limit + _SLACK - spent) / per_item + _SLACK))
    return n if n >= smallest else 0


def check(endpoint: str, usd: float, *, spent: float, limit: float | None, within: BudgetWindow) -> None:
    """The budget check, before a call is made: RateLimited (X waits until the window's end) when the call
    would take the spend of `within` past the limit."""
    if limit is None or fits(spent, limit, usd):
        return
    end = within.end
    raise RateLimited(
        NAME,
        f"monthly X budget reached: ${spent:.3f} of ${limit:.2f} spent and {endpoint} would cost ${usd:.3f}; "
        f"X calls stop until {end:%Y-%m-%d} or until SQBOT_X_BUDGET_USD is raised",
        retry_at=end,
    )


@dataclass(frozen=True)
class Budget:
    """This window's X spend against the limit, as `status`, `stats` and the attention list see it."""

    spent: float
    limit: float
    window: BudgetWindow
    reserve: float = 0.0  # of `limit`, kept for posts and follow-ups: polls never spend it

    @property
    def polls_paused(self) -> bool:
        """Polling's share is spent (not even X's smallest mentions page fits it; the reserve still lets posts
        out): new replies wait for the next month."""
        return self.spent > 0 and not fits(
            self.spent, self.limit - self.reserve, MENTION_ITEM * MENTIONS_PAGE_MIN
        )

    @property
    def paused_text(self) -> str:
        return (
            f"X polls paused: ${self.spent:.2f} of ${self.limit:.2f} spent, the last ${self.reserve:.2f} is kept "
            f"for posts and follow-ups; new replies are read from {self.window.until_text}"
        )

    @property
    def exhausted(self) -> bool:
        """Something was spent and not even the cheapest call fits any more. (A limit of 0 with nothing spent
        is X switched off, not a budget to warn about.)"""
        return self.spent > 0 and not fits(self.spent, self.limit, CHEAPEST)

    def deferred_by(self, deferred_until: datetime | None) -> bool:
        """Whether X's deferral is the budget check's (it defers to the window's end, nothing else does)."""
        return deferred_until is not None and deferred_until == self.window.end

    @property
    def reached_text(self) -> str:
        return (
            f"X budget reached: ${self.spent:.2f} of ${self.limit:.2f}; "
            f"X polls and posts wait until {self.window.until_text}"
        )
