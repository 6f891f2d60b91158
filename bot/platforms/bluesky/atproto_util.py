"""Pure AT Protocol helpers for exactly-once posting: TIDs (record keys), DAG-CBOR and record CIDs.

A thread is written as one `applyWrites` commit whose record keys and reply references (root/parent CIDs) are
computed here, on the client, before the call; so the exact bytes can be stored first and proved later.

DAG-CBOR and CIDs are libipld's; string syntax (AT-URI, record key, TID, DID, handle, NSID) is the atproto
SDK's validators'. TIDs are made here: the SDK has no generator, and exactly-once needs the keys chosen (and
stored with the intent) before the write. They are never reused: the adapter moves each prepare's first
microsecond past the previous prepare's last, so queries prepared in one tick never share a key.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from typing import Any

import libipld

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


def micros_of(when: datetime) -> int:
    """Microseconds since the epoch (exact: no float rounding)."""
    delta = when - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds


# ---------------------------------------------------------------------------------------------- DAG-CBOR
# Encoding and CIDs are libipld's (the Rust DAG-CBOR codec the atproto SDK itself uses). libipld writes a
# `bytes` value that reads as a binary CID as a link (tag 42): so a link is its binary CID here, and a
# `$bytes` value that would read as a CID is refused rather than silently turned into a link.
_DAG_CBOR_SHA256 = b"\x01\x71\x12\x20"  # CIDv1, dag-cbor codec, sha2-256 multihash of 32 bytes


def _reads_as_cid(data: bytes) -> bool:
    try:
        libipld.decode_cid(data)
    except ValueError:
        return False
    return True


def _no_floats(value: Any) -> None:
    if isinstance(value, float):
        raise ValueError("floats are not allowed in atproto records")
    if isinstance(value, dict):
        for v in value.values():
            _no_floats(v)
    elif isinstance(value, list | tuple):
        for v in value:
            _no_floats(v)


def dag_cbor(value: Any) -> bytes:
    """Deterministic DAG-CBOR of an IPLD value (map keys sorted by length, then bytes; links as binary
    CIDs, see `lex_to_ipld`). Floats are refused: atproto records have none."""
    _no_floats(value)
    try:
        return bytes(libipld.encode_dag_cbor(value))
    except ValueError as e:  # e.g. an integer outside 64 bits, a non-string map key, an unknown type
        raise ValueError(f"cannot encode as DAG-CBOR: {e}") from None


def _link(value: Any) -> bytes:
    if not isinstance(value, str):
        raise ValueError("a $link must be a CID string")
    try:
        _, raw = libipld.decode_multibase(value)
        libipld.decode_cid(raw)
    except ValueError:
        raise ValueError(f"not a CID: {value[:60]!r}") from None
    return bytes(raw)


def _bytes(value: Any) -> bytes:
    if not isinstance(value, str):
        raise ValueError("$bytes must be a base64 string")
    raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True)
    if _reads_as_cid(raw):
        raise ValueError("these $bytes read as a CID and would be written as a link")
    return raw


def lex_to_ipld(value: Any) -> Any:
    """JSON (lexicon) form → IPLD data model: {"$link": cid} → link, {"$bytes": b64} → bytes, an integer
    written as a float (123.0) → integer. Refuses what the data model refuses: malformed $link/$bytes
    objects, an empty or non-string `$type`, a blob without its ref/mimeType/size."""
    if isinstance(value, dict):
        if "$link" in value or "$bytes" in value:
            if len(value) != 1:
                raise ValueError("a $link or $bytes object has no other keys")
            return _link(value["$link"]) if "$link" in value else _bytes(value["$bytes"])
        if "$type" in value and (not isinstance(value["$type"], str) or not value["$type"]):
            raise ValueError("$type must be a non-empty string")
        if value.get("$type") == "blob":
            ok = (
                isinstance(value.get("ref"), dict)
                and isinstance(value.get("mimeType"), str)
                and type(value.get("size")) is int
            )
            if not ok:
                raise ValueError("a blob has a ref {$link}, a mimeType string and an integer size")
        return {k: lex_to_ipld(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [lex_to_ipld(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def record_bytes(record: dict[str, Any]) -> bytes:
    if not isinstance(record, dict):
        raise ValueError("a record is an object")
    return dag_cbor(lex_to_ipld(record))


def cid_for_bytes(data: bytes) -> str:
    """CIDv1, dag-cbor codec, sha2-256, base32 multibase: the CID a PDS gives a record with these bytes."""
    return str(libipld.encode_cid(_DAG_CBOR_SHA256 + hashlib.sha256(data).digest()))


def record_cid(record: dict[str, Any]) -> str:
    return cid_for_bytes(record_bytes(record))


# ------------------------------------------------------------------------------------------ string syntax
# Checked by the atproto SDK's own validators (atproto_client.models.string_formats, which pass the AT
# Protocol interop syntax fixtures), imported on first use: the SDK takes about a second to import.
_FORMATS: dict[str, Any] = {}


def _valid(kind: str, value: str) -> bool:
    adapter = _FORMATS.get(kind)
    if adapter is None:
        from atproto_client.models import string_formats
        from pydantic import TypeAdapter

        adapter = _FORMATS[kind] = TypeAdapter(getattr(string_formats, kind))
    try:
        adapter.validate_python(value, context={"strict_string_format": True})
    except ValueError:
        return False
    return True


def is_tid(s: str) -> bool:
    return _valid("Tid", s)


def is_record_key(s: str) -> bool:
    return _valid("RecordKey", s)


def is_did(s: str) -> bool:
    return _valid("Did", s)


def is_handle(s: str) -> bool:
    return _valid("Handle", s)


def is_nsid(s: str) -> bool:
    return _valid("Nsid", s)


def is_at_uri(s: str) -> bool:
    return _valid("AtUri", s)


def at_uri(did: str, collection: str, rkey: str) -> str:
    return f"at://{did}/{collection}/{rkey}"


def parse_at_uri(uri: str) -> tuple[str, str, str]:
    """(repo DID or handle, collection, rkey) of a record's at:// URI; ValueError for anything else."""
    if not is_at_uri(uri):
        raise ValueError(f"not an at:// URI: {uri[:60]!r}")
    parts = uri[5:].split("/")
    if len(parts) != 3:
        raise ValueError(f"not a record URI: {uri[:60]!r}")
    if not is_record_key(parts[2]):  # the SDK's AT-URI pattern does not cap the key's length
        raise ValueError(f"not a record key: {parts[2][:60]!r}")
    return parts[0], parts[1], parts[2]


def created_at(when: datetime) -> str:
    """The `createdAt` format the official app writes: UTC, milliseconds, Z."""
    return when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
