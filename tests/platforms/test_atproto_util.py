"""Client-side TIDs and CIDs must equal what a PDS computes (checked for real in test_bluesky.py)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.platforms.atproto_util import (
    cid_for_bytes,
    created_at,
    dag_cbor,
    is_tid,
    lex_to_ipld,
    parse_at_uri,
    record_cid,
    tid,
    tid_for,
)


def test_tids_are_13_sortable_chars_that_a_pds_accepts() -> None:
    t1 = tid_for(datetime(2026, 11, 28, 12, 0, tzinfo=UTC))
    t2 = tid_for(datetime(2026, 11, 28, 12, 0, tzinfo=UTC), offset=1)
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
    import libipld

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
    rec = {
        "image": {
            "$type": "blob",
            "ref": {"$link": "bafkreibme22gw2h7y2h7tg2fhqotaqjucnbc24deqo72b6mkl2egezxhvy"},
        }
    }
    enc = dag_cbor(lex_to_ipld(rec))
    assert b"\xd8\x2a" in enc  # tag 42
    assert record_cid(rec) != record_cid({"image": {"$type": "blob", "ref": "bafkre..."}})


def test_created_at_is_utc_milliseconds_with_z() -> None:
    assert created_at(datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)) == "2026-01-02T03:04:05.678Z"


def test_at_uris_split_into_repo_collection_rkey() -> None:
    assert parse_at_uri("at://did:plc:abc/app.bsky.feed.post/3k2") == (
        "did:plc:abc",
        "app.bsky.feed.post",
        "3k2",
    )
