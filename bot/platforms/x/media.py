"""X's media uploads (v2 media endpoints; tweepy has none): one-shot `POST /2/media/upload` (GIFs:
initialize/append/finalize), alt text with `POST /2/media/metadata`. Uploads happen in `XPlatform.prepare`
(they are not posts, so redoing one is harmless) and the media ids travel in the intent; X forgets unused media
after ~24 h, so `XPlatform.send` re-uploads expired ones (the text and reply chain stay the intent's)."""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, cast

from bot.errors import PublishError, TransientError
from bot.models import Image, Intent
from bot.platforms.x.spec import IMAGE_BYTES, NAME
from bot.platforms.x.wire import aware
from bot.queue.files import read_image

MEDIA_EXPIRY = timedelta(hours=24)  # X's default when the upload answer gives no expires_after_secs
MEDIA_EXPIRY_MARGIN = timedelta(minutes=30)  # re-upload a little before X forgets the media
ALT_MAX = 1000
MEDIA_CHUNK = 1_000_000
MAX_IMAGE_BYTES = IMAGE_BYTES  # what `sqbot validate` allows on X (its spec)
MEDIA_TYPES = {  # magic bytes -> (media_type, media_category); X's one-shot upload takes images but not GIFs
    b"\x89PNG": ("image/png", "tweet_image"),
    b"\xff\xd8\xff": ("image/jpeg", "tweet_image"),
    b"GIF8": ("image/gif", "tweet_gif"),
    b"BM": ("image/bmp", "tweet_image"),
    b"II*\x00": ("image/tiff", "tweet_image"),
    b"MM\x00*": ("image/tiff", "tweet_image"),
}
MEDIA_POLLS = 10  # status checks while X processes a GIF


class MediaUploads:
    """The media half of `XPlatform` (a mixin): it uses the adapter's client, clock, error mapping and meter."""

    client: Any
    now: Callable[[], datetime]
    sleep: Callable[[float], None]
    _user_auth: bool
    _fresh_media: dict[tuple[str, int], list[str]]  # re-uploaded ids, per (query, post index)

    if TYPE_CHECKING:

        def _errors(self, endpoint: str, *, write: bool = False) -> AbstractContextManager[None]: ...
        def _meter(self, endpoint: str, resources: int, usd: float, query_id: str | None = None) -> None: ...

    def _media_ids(self, intent: Intent, index: int, *, force: bool = False) -> list[str]:
        """The media ids for post `index`: the intent's, unless X has forgotten them (expired), in which case
        the same files go up again (the text, hash and reply target are untouched)."""
        items: list[dict[str, Any]] = list((intent.payload.get("media") or [[]] * (index + 1))[index] or [])
        if not items:
            return []
        key = (intent.query_id, index)
        if not force and key in self._fresh_media:
            return self._fresh_media[key]
        soon = self.now().astimezone(UTC) + MEDIA_EXPIRY_MARGIN
        if not force and all((aware(str(m.get("expires_at") or "")) or soon) > soon for m in items):
            return [str(m["id"]) for m in items]
        ids = [
            self._upload(
                intent.query_id,
                Image(str(m["path"]), str(m["alt"]), str(m["path"]), str(m.get("root") or "")),
            )["id"]
            for m in items
        ]
        self._fresh_media[key] = [str(i) for i in ids]
        return self._fresh_media[key]

    def _upload(self, query_id: str, image: Image) -> dict[str, Any]:
        """Upload one image and set its alt text; returns the intent's record of it."""
        data = image_bytes(query_id, image)
        media_type, category = media_type_of(image.path, data)
        if category == "tweet_gif":
            answer = self._upload_chunked(data, media_type, category)
        else:
            body = {
                "media": base64.b64encode(data).decode("ascii"),
                "media_category": category,
                "media_type": media_type,
            }
            answer = self._media_call("POST", "/2/media/upload", body)
        info = answer.get("data") or {}
        media_id = str(info.get("id") or "")
        if not media_id:
            raise TransientError(NAME, f"X accepted {image.path} but gave no media id; try again later")
        state = (info.get("processing_info") or {}).get("state")
        polls = 0
        while state in ("pending", "in_progress") and polls < MEDIA_POLLS:
            self.sleep(float((info.get("processing_info") or {}).get("check_after_secs") or 1))
            polls += 1
            status = self._media_call(
                "GET", "/2/media/upload", None, {"media_id": media_id, "command": "STATUS"}
            )
            info = status.get("data") or {}
            state = (info.get("processing_info") or {}).get("state")
        if state == "failed":
            raise PublishError(f"x: X could not process {image.path}: convert it to PNG or JPEG and requeue")
        if state in ("pending", "in_progress"):
            raise TransientError(NAME, f"X is still processing {image.path}; try again later")
        if image.alt:
            meta = {"id": media_id, "metadata": {"alt_text": {"text": image.alt}}}
            self._media_call("POST", "/2/media/metadata", meta)
        expires = info.get("expires_after_secs")
        life = timedelta(seconds=int(expires)) if isinstance(expires, int) and expires > 0 else MEDIA_EXPIRY
        return {
            "id": media_id,
            "path": image.resolved or image.path,
            "root": image.root,
            "alt": image.alt,
            "expires_at": (self.now().astimezone(UTC) + life).isoformat(),
        }

    def _upload_chunked(self, data: bytes, media_type: str, category: str) -> dict[str, Any]:
        init = {"media_type": media_type, "media_category": category, "total_bytes": len(data)}
        answer = self._media_call("POST", "/2/media/upload/initialize", init)
        media_id = str((answer.get("data") or {}).get("id") or "")
        if not media_id:
            raise TransientError(NAME, "X started a media upload but gave no media id; try again later")
        for segment, start in enumerate(range(0, len(data), MEDIA_CHUNK)):
            chunk = base64.b64encode(data[start : start + MEDIA_CHUNK]).decode("ascii")
            self._media_call(
                "POST", f"/2/media/upload/{media_id}/append", {"media": chunk, "segment_index": segment}
            )
        return self._media_call("POST", f"/2/media/upload/{media_id}/finalize", None)

    def _media_call(
        self, method: str, route: str, body: dict[str, Any] | None, params: dict[str, str] | None = None
    ) -> dict[str, Any]:
        """One media request through tweepy's session (same auth, timeout, host and error mapping)."""
        endpoint = f"{method} " + re.sub(r"/upload/\d+/", "/upload/:id/", route)
        with self._errors(endpoint):
            response = self.client.request(method, route, params=params, json=body, user_auth=self._user_auth)
        self._meter(endpoint, 1, 0.0)  # media uploads are not billed per resource
        answer = response.json() if response.content else {}
        return cast(dict[str, Any], answer) if isinstance(answer, dict) else {}


def image_bytes(query_id: str, image: Image) -> bytes:
    """Read through bot.queue.files at send time: inside the queue folder, a regular file, a real image."""
    return read_image(image, what=f"x: query {query_id!r}", limit=MAX_IMAGE_BYTES)[0]


def media_type_of(name: str, data: bytes) -> tuple[str, str]:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp", "tweet_image"
    for magic, kind in MEDIA_TYPES.items():
        if data.startswith(magic):
            return kind
    raise PublishError(f"x: image {name} is not PNG, JPEG, GIF, WebP, BMP or TIFF: convert it and requeue")
