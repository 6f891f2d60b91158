"""The review web app: Starlette routes over the lead database. Thin: each page is one `bot.review.views` read,
each action one library call (`bot.leads.people`, `bot.leads.confirmed`); SQL lives in `bot.store`.

Access (see `bot.review.guard`): every request must name a `Host` the app is served as (else 421); every page
needs the session cookie, got by opening the printed URL with its token (then redirected to a clean URL); every
POST needs the session's anti-forgery token and an `Origin` (or `Referer`) of this app (else 403, nothing done).
GETs only read. Responses carry a CSP without scripts, `X-Frame-Options: DENY`, `nosniff`, `no-store`, and
`Referrer-Policy: same-origin`: no address of this app ever reaches another site. (`no-referrer` would be
stricter in name only, and it makes browsers send `Origin: null` on a form POST, which the Origin check must
refuse: the Fetch standard's rule for non-GET requests.)"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.config import Settings
from bot.errors import BotError
from bot.review import views
from bot.review.guard import COOKIE, Guard
from bot.store import review as db
from bot.store.db import Store
from bot.understand.correct import INTENTS

HERE = Path(__file__).parent
CSS = (HERE / "templates" / "review.css").read_text(encoding="utf-8")
HEADERS = {
    "content-security-policy": (
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; "
        "base-uri 'none'"
    ),
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "same-origin",
    "cache-control": "no-store",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
}
MESSAGES = {  # ?m=... after an action (fixed words only: nothing from the request is echoed)
    "sent": "Follow-up posted; they are now contacted.",
    "status": "Status changed.",
    "remind": "Follow-up date saved.",
    "note": "Note added.",
    "merged": "Merged.",
    "rejected": "Suggestion rejected: it will not be suggested again.",
    "unmerged": "Merge undone.",
    "forgotten": "Forgotten: everything about them was deleted.",
    "corrected": "Reply corrected: kept over every re-run of the understanding.",
}
_ENV = Environment(
    loader=FileSystemLoader(HERE / "templates"), autoescape=True, undefined=StrictUndefined, trim_blocks=True
)


@dataclass
class Config:
    settings: Settings
    guard: Guard
    clock: Callable[[], datetime]


class Refused(Exception):
    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status = status
        self.why = why


def render(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    ctx.setdefault("message", "")
    return HTMLResponse(_ENV.get_template(name).render(**ctx), status_code=status)


class Gate:
    """Host check, login by token, session cookie, security headers: around every route."""

    def __init__(self, app: ASGIApp, guard: Guard) -> None:
        self.app = app
        self.guard = guard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _v in message.get("headers", [])}
                message["headers"] = list(message.get("headers", [])) + [
                    (k.encode(), v.encode()) for k, v in HEADERS.items() if k.encode() not in names
                ]
            await send(message)

        request = Request(scope)
        response = self._check(request)
        if response is not None:
            await response(scope, receive, with_headers)
            return
        await self.app(scope, receive, with_headers)

    def _check(self, request: Request) -> Response | None:
        g = self.guard
        if not g.host_ok(request.headers.get("host")):
            return PlainTextResponse("421: this server does not answer for that host name\n", 421)
        if request.url.path == "/review.css":
            return None
        token = request.query_params.get("token")
        if token is not None:
            if request.method != "GET" or not g.token_ok(token):
                return render("denied.html.j2", 403, why="That link's token is not valid (sqbot restarted?).")
            clean = [(k, v) for k, v in request.query_params.multi_items() if k != "token"]
            target = request.url.path + (f"?{urlencode(clean)}" if clean else "")
            r = RedirectResponse(target, 303)
            r.set_cookie(
                COOKIE,
                g.new_session(),
                httponly=True,
                samesite="strict",
                secure=request.url.scheme == "https",
                path="/",
            )
            return r
        sid = g.session_id(request.cookies.get(COOKIE))
        if sid is None:
            return render(
                "denied.html.j2", 403, why="Open the address `sqbot review` printed (it carries the token)."
            )
        request.scope.setdefault("state", {})["sid"] = sid
        if request.method not in ("GET", "HEAD", "POST"):
            return PlainTextResponse("405\n", 405)
        if request.method == "POST" and not g.origin_ok(
            request.headers.get("origin"), request.headers.get("referer")
        ):
            return render("denied.html.j2", 403, why="This form was not sent from this app's own page.")
        return None


def create_app(config: Config) -> Starlette:
    """The app for `config`; the database is opened once here (migrations applied before any request)."""
    Store.open(config.settings.db_path).close()
    send_lock = threading.Lock()  # one send at a time in this process; other processes: the publisher lock
    s, g = config.settings, config.guard

    def store() -> Store:
        return Store.open(s.db_path)

    def csrf(request: Request) -> str:
        return g.csrf(request.state.sid)

    async def form_of(request: Request) -> FormData:
        form = await request.form()
        given = form.get("csrf")
        if not g.csrf_ok(request.state.sid, given if isinstance(given, str) else None):
            raise Refused(403, "This form has no valid anti-forgery token: reload the page and try again.")
        return form

    def field(form: FormData, name: str) -> str:
        v = form.get(name)
        return v.replace("\r\n", "\n") if isinstance(v, str) else ""

    def page(fn: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
        async def wrapped(request: Request) -> Response:
            try:
                return await fn(request)
            except Refused as e:
                return render("denied.html.j2", e.status, why=e.why)
            except BotError as e:
                back = request.url.path.split("/forget")[0] if "/person/" in request.url.path else "/"
                return render("message.html.j2", 409, problem=str(e), back=back, csrf=csrf(request))

        return wrapped

    def read(fn: Callable[[Store], Any]) -> Awaitable[Any]:
        def run() -> Any:
            st = store()
            try:
                return fn(st)
            finally:
                st.close()

        return run_in_threadpool(run)

    @page
    async def index(request: Request) -> Response:
        raw = request.query_params.get("page", "0")
        page = min(int(raw), views.MAX_PAGE) if raw.isascii() and raw.isdigit() and len(raw) < 7 else 0
        d = await read(lambda st: views.people_to_contact(st, config.clock(), s.tz, page))
        return render(
            "people.html.j2",
            d=d,
            page=page,
            csrf=csrf(request),
            message=MESSAGES.get(request.query_params.get("m", ""), ""),
        )

    @page
    async def person(request: Request) -> Response:
        pid = int(request.path_params["pid"])

        def load(st: Store) -> views.PersonPage | int | None:
            if not db.person_exists(st, pid):
                return db.merged_into(st, pid)
            return views.person_page(st, pid, config.clock(), s.tz)

        p = await read(load)
        if p is None:
            return render("message.html.j2", 404, problem=f"No person #{pid}.", back="/", csrf=csrf(request))
        if isinstance(p, int):
            return RedirectResponse(f"/person/{p}", 303)
        return render(
            "person.html.j2",
            p=p,
            intents=INTENTS,
            csrf=csrf(request),
            nonce=secrets.token_urlsafe(18),
            message=MESSAGES.get(request.query_params.get("m", ""), ""),
        )

    @page
    async def forget_confirm(request: Request) -> Response:
        pid = int(request.path_params["pid"])
        p = await read(lambda st: views.person_page(st, pid, config.clock(), s.tz))
        return render("forget.html.j2", p=p, csrf=csrf(request))

    def action(
        do: Callable[[Store, int, FormData, datetime], str],
    ) -> Callable[[Request], Awaitable[Response]]:
        @page
        async def handler(request: Request) -> Response:
            pid = int(request.path_params["pid"])
            form = await form_of(request)

            def run() -> str:
                st = store()
                try:
                    return do(st, pid, form, config.clock())
                finally:
                    st.close()

            return RedirectResponse(await run_in_threadpool(run), 303)

        return handler

    def set_status(st: Store, pid: int, form: FormData, now: datetime) -> str:
        from bot.leads.workflow import set_status as run

        run(st, pid, field(form, "status"), now, force=field(form, "force") == "1")
        return f"/person/{pid}?m=status"

    def remind(st: Store, pid: int, form: FormData, now: datetime) -> str:
        from bot.leads.workflow import parse_due
        from bot.leads.workflow import remind as run

        run(st, pid, parse_due(field(form, "when") or "clear", now, s.tz), now)
        return f"/person/{pid}?m=remind"

    def note(st: Store, pid: int, form: FormData, now: datetime) -> str:
        from bot.leads.workflow import add_note

        text = field(form, "text").strip()
        if not text:
            raise BotError("the note is empty")
        add_note(st, pid, text, now)
        return f"/person/{pid}?m=note"

    def merge(st: Store, pid: int, form: FormData, now: datetime) -> str:
        from bot.leads.merges import merge as run

        run(st, pid, _int(field(form, "other")), now)
        return f"/person/{pid}?m=merged"

    def reject(st: Store, pid: int, form: FormData, now: datetime) -> str:
        db.reject_merge(st, pid, _int(field(form, "other")), now)
        return f"/person/{pid}?m=rejected"

    def unmerge(st: Store, pid: int, form: FormData, now: datetime) -> str:
        from bot.leads.merges import unmerge as run

        run(st, _int(field(form, "merge")), now)
        return f"/person/{pid}?m=unmerged"

    def forget(st: Store, pid: int, form: FormData, now: datetime) -> str:
        from bot.leads.forget import forget as run
        from bot.leads.forget import person_traces, scrub_digest_files

        if field(form, "confirm") != "yes":
            raise BotError("not forgotten: tick the confirmation first")
        traces = person_traces(st, pid)
        run(st, pid, now, all_accounts=field(form, "all_accounts") == "yes")
        scrub_digest_files(s.data_dir / "digests", traces)
        return "/?m=forgotten"

    def correct(st: Store, pid: int, form: FormData, now: datetime) -> str:
        from bot.leads.corrections import correct as run
        from bot.leads.corrections import reply
        from bot.platforms.registry import owner_handles

        r = reply(st, field(form, "platform"), field(form, "id"))
        if int(r["person_id"]) != pid:
            raise BotError(
                "that reply is not this person's (merged or forgotten meanwhile?): reload the page"
            )
        had = [v for v in form.getlist("had") if isinstance(v, str)]
        keep = {v for v in form.getlist("keep") if isinstance(v, str)}
        refers = [t.strip() for t in re.split(r"[,\n]", field(form, "refers")) if t.strip()]
        intent = field(form, "intent") or None
        run(
            st,
            r,
            intent=None if intent == r["intent"] and (refers or len(keep) < len(had)) else intent,
            refers=refers,
            not_refers=[t for t in had if t not in keep],
            owners=owner_handles(s),
            now=now,
        )
        return f"/person/{pid}?m=corrected"

    def send_followup(st: Store, pid: int, form: FormData, now: datetime) -> str:
        from bot.leads import confirmed
        from bot.ops.service import metered_platforms, record_usage

        text = field(form, "text").strip()
        if not text:
            raise BotError("the follow-up is empty")
        with send_lock:  # a double click: the second request waits, then finds the first one's row
            c = confirmed.confirm(
                st,
                pid,
                field(form, "nonce"),
                now,
                text=text,
                again=field(form, "again") == "1",
                confirm_mention=field(form, "confirm_mention") == "yes",
            )
            if c.row.get("posted_at"):
                return f"/person/{pid}?m=sent"
            plats = metered_platforms(s, st, [str(c.row["platform"])], now)
            try:
                res = confirmed.deliver(st, plats, c.row, now)
            finally:
                record_usage(st, plats)
        if res.ok:
            return f"/person/{pid}?m=sent"
        raise BotError(
            f"not posted yet on {res.platform} ({res.status}): {res.detail or '-'}; the next `sqbot post` "
            "(or the daemon) finishes it, never twice"
        )

    async def css(request: Request) -> Response:
        return Response(CSS, media_type="text/css")

    routes = [
        Route("/", index, methods=["GET"]),
        Route("/review.css", css, methods=["GET"]),
        Route("/person/{pid:int}", person, methods=["GET"]),
        Route("/person/{pid:int}/forget", forget_confirm, methods=["GET"]),
        Route("/person/{pid:int}/forget", action(forget), methods=["POST"]),
        Route("/person/{pid:int}/send", action(send_followup), methods=["POST"]),
        Route("/person/{pid:int}/status", action(set_status), methods=["POST"]),
        Route("/person/{pid:int}/remind", action(remind), methods=["POST"]),
        Route("/person/{pid:int}/note", action(note), methods=["POST"]),
        Route("/person/{pid:int}/merge", action(merge), methods=["POST"]),
        Route("/person/{pid:int}/reject", action(reject), methods=["POST"]),
        Route("/person/{pid:int}/unmerge", action(unmerge), methods=["POST"]),
        Route("/person/{pid:int}/correct", action(correct), methods=["POST"]),
    ]
    app = Starlette(routes=routes)
    app.add_middleware(Gate, guard=g)
    return app


def _int(v: str) -> int:
    try:
        return int(v)
    except ValueError:
        raise BotError(f"not a person or merge number: {v[:20]!r}") from None
