"""Client-side TIDs and CIDs must equal what a PDS computes (checked for real in test_bluesky.py)."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import libipld
import pytest

from bot.platforms.bluesky.atproto_util import (
    cid_for_bytes,
    created_at,
    dag_cbor,
    is_at_uri,
    is_did,
    is_handle,
    is_nsid,
    is_record_key,
    is_tid,
    lex_to_ipld,
    micros_of,
    parse_at_uri,
    record_bytes,
    record_cid,
    tid,
)

INTEROP = Path(__file__).parent.parent / "data" / "atproto-interop"


def test_tids_are_13_sortable_chars_that_a_pds_accepts() -> None:
    t1 = tid(micros_of(datetime(2026, 11, 28, 12, 0, tzinfo=UTC)))
    t2 = tid(micros_of(datetime(2026, 11, 28, 12, 0, tzinfo=UTC)) + 1)
    assert is_tid(t1) and is_tid(t2) and t1 < t2
    assert tid(0) == "2222222222222"
    assert not is_tid("3zzzzzzzzzzzzz") and not is_tid("kzzzzzzzzzzzz")


def test_dag_cbor_sorts_map_keys_by_length_then_bytes() -> None:
    assert dag_cbor({"bb": 1, "a": 2, "c": 3}) == bytes.fromhex("a361610261630362626201")
    assert dag_cbor({"n": -1, "t": True, "x": None}) == bytes.fromhex("a3616e206174f56178f6")


def test_a_known_record_gets_the_cid_the_reference_implementation_gives() -> None:
    # {"hello": "world"} in DAG-CBOR has this well-known CID (as computed by the JS and Go implementations)
    assert (
        cid_for_bytes(dag_cbor({"hello": "world"}))
        == "bafyreidykglsfhoixmivffc5uwhcgshx4j465xwqntbmu43nb2dzqwfvae"
    )


def test_plain_records_encode_exactly_as_libipld_does() -> None:
    rec = {
        "$type": "app.bsky.feed.post",
        "text": "héllo 🧵",
        "createdAt": "2026-01-02T03:04:05.678Z",
        "langs": ["en"],
        "facets": [{"index": {"byteStart": 0, "byteEnd": 6}, "features": []}],
        "n": -5,
    }
    assert dag_cbor(rec) == libipld.encode_dag_cbor(rec)


def test_blob_links_are_encoded_as_cid_links_not_strings() -> None:
    ref = "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy"
    rec = {"image": {"$type": "blob", "ref": {"$link": ref}, "mimeType": "image/png", "size": 10}}
    enc = dag_cbor(lex_to_ipld(rec))
    assert b"\xd8\x2a" in enc  # tag 42
    assert libipld.decode_dag_cbor(enc)["image"]["ref"] == libipld.decode_multibase(ref)[1]
    as_string = {
        "image": {"$type": "blob", "ref": {"$link": ref}, "mimeType": "image/png", "size": 10, "s": ref}
    }
    assert enc.count(b"\xd8\x2a") == 1 and dag_cbor(lex_to_ipld(as_string)).count(b"\xd8\x2a") == 1


def test_floats_are_refused_but_an_integer_written_as_a_float_is_an_integer() -> None:
    with pytest.raises(ValueError, match="floats"):
        record_bytes({"a": 1.5})
    with pytest.raises(ValueError, match="floats"):
        dag_cbor({"a": [1, 2.0]})  # at the IPLD level every float is refused
    assert record_bytes({"a": 123.0}) == record_bytes({"a": 123})


def test_bytes_that_would_read_as_a_cid_are_refused_not_written_as_a_link() -> None:
    cid_bytes = libipld.decode_multibase("bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy")[1]
    with pytest.raises(ValueError, match="read as a CID"):
        record_bytes({"b": {"$bytes": base64.b64encode(cid_bytes).decode()}})
    assert libipld.decode_dag_cbor(record_bytes({"b": {"$bytes": "AQID"}})) == {"b": b"\x01\x02\x03"}


# ------------------------------------------------------------------ AT Protocol interop fixtures (vendored)
DATA_MODEL = INTEROP / "data-model"


def _json(name: str) -> list[dict[str, Any]]:
    cases: list[dict[str, Any]] = json.loads((DATA_MODEL / name).read_text("utf-8"))
    return cases


@pytest.mark.parametrize("case", _json("data-model-fixtures.json"), ids=lambda c: c["cid"][-12:])
def test_interop_records_encode_to_the_reference_bytes_and_cid(case: dict[str, Any]) -> None:
    data = record_bytes(case["json"])
    assert data == base64.b64decode(case["cbor_base64"] + "=" * (-len(case["cbor_base64"]) % 4))
    assert record_cid(case["json"]) == case["cid"]


@pytest.mark.parametrize("case", _json("data-model-valid.json"), ids=lambda c: c["note"])
def test_interop_valid_records_encode_and_decode_back(case: dict[str, Any]) -> None:
    data = record_bytes(case["json"])
    assert libipld.decode_dag_cbor(data) == lex_to_ipld(case["json"])


@pytest.mark.parametrize("case", _json("data-model-invalid.json"), ids=lambda c: c["note"])
def test_interop_invalid_records_are_refused(case: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        record_bytes(case["json"])


def _lines(kind: str, validity: str) -> list[str]:
    text = (INTEROP / "syntax" / f"{kind}_syntax_{validity}.txt").read_text("utf-8")
    return [line for line in text.split("\n") if line and not line.startswith("#")]


SYNTAX = {
    "aturi": is_at_uri,
    "recordkey": is_record_key,
    "tid": is_tid,
    "did": is_did,
    "handle": is_handle,
    "nsid": is_nsid,
}


@pytest.mark.parametrize("kind", sorted(SYNTAX))
def test_interop_syntax_valid_strings_are_accepted(kind: str) -> None:
    values = _lines(kind, "valid")
    assert values and [v for v in values if not SYNTAX[kind](v)] == []


@pytest.mark.parametrize("kind", sorted(SYNTAX))
def test_interop_syntax_invalid_strings_are_refused(kind: str) -> None:
    values = _lines(kind, "invalid")
    assert values and [v for v in values if SYNTAX[kind](v)] == []


@pytest.mark.parametrize("rkey", [".", "..", "any space", "#extra", "o" * 513])
def test_at_uris_with_a_record_key_the_spec_refuses_are_refused(rkey: str) -> None:
    assert not is_record_key(rkey)
    with pytest.raises(ValueError):
        parse_at_uri(f"at://did:plc:abc/app.bsky.feed.post/{rkey}")


def test_an_at_uri_without_a_record_key_is_not_a_record_uri() -> None:
    with pytest.raises(ValueError, match="not a record URI"):
        parse_at_uri("at://did:plc:abc/app.bsky.feed.post")


def test_created_at_is_utc_milliseconds_with_z() -> None:
    assert created_at(datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)) == "2026-01-02T03:04:05.678Z"


def test_at_uris_split_into_repo_collection_rkey() -> None:
    assert parse_at_uri("at://did:plc:abc/app.bsky.feed.post/3k2") == (
        "did:plc:abc",
        "app.bsky.feed.post",
        "3k2",
    )


@pytest.mark.parametrize("value", [{"n": 2**64}, {"x": object()}, {1: "non-string key"}])
def test_what_dag_cbor_cannot_hold_is_a_value_error(value: Any) -> None:
    with pytest.raises(ValueError, match="cannot encode as DAG-CBOR"):
        dag_cbor(value)


def test_tuples_in_a_record_encode_as_lists() -> None:
    assert record_bytes({"langs": ("en", "fr")}) == record_bytes({"langs": ["en", "fr"]})


def test_tids_made_here_pass_the_sdk_tid_syntax_for_any_time_and_clock_id() -> None:
    import random

    rng = random.Random(13)
    for _ in range(300):
        micros, clock_id = rng.randrange(1 << 53), rng.randrange(1024)
        assert is_tid(tid(micros, clock_id)) and is_record_key(tid(micros, clock_id))
