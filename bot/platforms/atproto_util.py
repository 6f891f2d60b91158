"""Pure AT Protocol helpers for exactly-once posting: TIDs (record keys), DAG-CBOR and record CIDs.

A thread is written as one `applyWrites` commit whose record keys and reply references (root/parent CIDs) are
computed here, on the client, before the call; so the exact bytes can be stored first and proved later.
"""

from __future__ import annotations

import base64
import hashlib
import struct
from datetime import datetime
from typing import Any

_S32 = "234567abcdefghijklmnopqrstuvwxyz"


def tid(micros: int, clock_id: int = 0) -> str:
    """A TID: 53 bits of microseconds since the epoch and a 10-bit clock id, base32-sortable, 13 chars."""
    if not 0 <= clock_id < 1024:
        raise ValueError("clock_id is 10 bits")
    n = ((micros & ((1 << 53) - 1)) << 10) | clock_id
    out = []
    for _ in range(13):
        out.append(_S32[n & 31])
        n >>= 5
    return "".join(reversed(out))


def tid_for(when: datetime, offset: int = 0, clock_id: int = 0) -> str:
    micros = int(when.timestamp() * 1_000_000) + offset
    return tid(micros, clock_id)


def is_tid(s: str) -> bool:
    return len(s) == 13 and s[0] in _S32[:16] and all(c in _S32 for c in s)


# ---------------------------------------------------------------------------------------------- DAG-CBOR
def _head(major: int, n: int) -> bytes:
    if n < 24:
        return bytes([major << 5 | n])
    if n < 1 << 8:
        return bytes([major << 5 | 24, n])
    if n < 1 << 16:
        return bytes([major << 5 | 25]) + struct.pack(">H", n)
    if n < 1 << 32:
        return bytes([major << 5 | 26]) + struct.pack(">I", n)
    return bytes([major << 5 | 27]) + struct.pack(">Q", n)


class CIDLink:
    """A link to another block (DAG-CBOR tag 42), from its string form."""

    def __init__(self, s: str) -> None:
        self.s = s

    def raw(self) -> bytes:
        if not self.s.startswith("b"):
            raise ValueError(f"unsupported CID encoding: {self.s[:8]}...")
        body = self.s[1:].upper()
        return base64.b32decode(body + "=" * (-len(body) % 8))


def dag_cbor(value: Any) -> bytes:
    """Deterministic DAG-CBOR of a JSON-like value (map keys sorted by length, then bytes)."""
    if value is None:
        return b"\xf6"
    if value is True:
        return b"\xf5"
    if value is False:
        return b"\xf4"
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, float):
        raise ValueError("floats are not allowed in atproto records")
    if isinstance(value, str):
        b = value.encode("utf-8")
        return _head(3, len(b)) + b
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, CIDLink):
        raw = b"\x00" + value.raw()
        return b"\xd8\x2a" + _head(2, len(raw)) + raw
    if isinstance(value, list | tuple):
        return _head(4, len(value)) + b"".join(dag_cbor(v) for v in value)
    if isinstance(value, dict):
        keys = sorted(value, key=lambda k: (len(k.encode()), k.encode()))
        return _head(5, len(keys)) + b"".join(dag_cbor(k) + dag_cbor(value[k]) for k in keys)
    raise TypeError(f"cannot encode {type(value).__name__} as DAG-CBOR")


def lex_to_ipld(value: Any) -> Any:
    """JSON (lexicon) form → IPLD data model: {"$link": cid} → link, {"$bytes": b64} → bytes."""
    if isinstance(value, dict):
        if set(value) == {"$link"}:
            return CIDLink(value["$link"])
        if set(value) == {"$bytes"}:
            s = value["$bytes"]
            return base64.b64decode(s + "=" * (-len(s) % 4))
        return {k: lex_to_ipld(v) for k, v in value.items()}
    if isinstance(value, list):
        return [lex_to_ipld(v) for v in value]
    return value


def record_bytes(record: dict[str, Any]) -> bytes:
    return dag_cbor(lex_to_ipld(record))


def cid_for_bytes(data: bytes) -> str:
    """CIDv1, dag-cbor codec, sha2-256, base32 multibase: the CID a PDS gives a record with these bytes."""
    raw = b"\x01\x71\x12\x20" + hashlib.sha256(data).digest()
    return "b" + base64.b32encode(raw).decode().lower().rstrip("=")


def record_cid(record: dict[str, Any]) -> str:
    return cid_for_bytes(record_bytes(record))


def at_uri(did: str, collection: str, rkey: str) -> str:
    return f"at://{did}/{collection}/{rkey}"


def parse_at_uri(uri: str) -> tuple[str, str, str]:
    """(repo DID, collection, rkey) of an at:// URI."""
    if not uri.startswith("at://"):
        raise ValueError(f"not an at:// URI: {uri[:60]}")
    parts = uri[5:].split("/")
    if len(parts) != 3:
        raise ValueError(f"not a record URI: {uri[:60]}")
    return parts[0], parts[1], parts[2]


def created_at(when: datetime) -> str:
    """The `createdAt` format the official app writes: UTC, milliseconds, Z."""
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
