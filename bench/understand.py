"""Measure bot.understand on the labelled development corpus.

Usage: .venv/bin/python bench/understand.py [path/to/dev.jsonl] [--errors]

Reads ../shared/corpus/dev.jsonl (relative to the repository) unless a path is given, and prints per-field
accuracy, per-intent precision/recall/F1, macro-F1, referral-handle precision/recall/F1, spam/abuse precision,
offers_contact and lead_priority accuracy, and p50/p95 milliseconds per reply.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.understand import normalise_handle, understand  # noqa: E402

OWNER = ("noa_kessler", "noakessler.bsky.social")
INTENTS = ("referral", "offer", "resource", "answer", "question", "social", "critique", "spam", "abuse")


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def main(argv: list[str]) -> int:
    args = [a for a in argv if not a.startswith("--")]
    show_errors = "--errors" in argv
    path = Path(args[0]) if args else ROOT.parent / "shared" / "corpus" / "dev.jsonl"
    if not path.exists():
        print(f"no development set at {path}: pass its path, or put the corpus at ../shared/corpus/")
        return 1
    rows = load(path)
    print(f"development set: {path} ({len(rows)} replies)")

    n = len(rows)
    intent_ok = offers_ok = prio_ok = lang_ok = 0
    conf: Counter[tuple[str, str]] = Counter()
    h_tp = h_fp = h_fn = 0
    a_tp = a_fp = a_fn = 0  # all referrals, by handle or (when no handle) by name
    times: list[float] = []
    for row in rows:
        gold = row["labels"]
        start = time.perf_counter()
        got = understand(
            row["text"],
            platform=row["platform"],
            author_handle=row["author_handle"],
            author_name=row["author_name"],
            author_bio=row["author_bio"],
            owner_handles=OWNER,
        )
        times.append((time.perf_counter() - start) * 1000)
        conf[(gold["intent"], got.intent)] += 1
        intent_ok += got.intent == gold["intent"]
        offers_ok += got.offers_contact == gold["offers_contact"]
        prio_ok += got.lead_priority == gold["lead_priority"]
        lang_ok += got.language == gold["language"]
        gold_h = {normalise_handle(r["handle"]) for r in gold["referrals"] if r["handle"]}
        got_h = {r.handle for r in got.referrals if r.handle}
        h_tp += len(gold_h & got_h)
        h_fp += len(got_h - gold_h)
        h_fn += len(gold_h - got_h)
        gold_all = {r["handle"] or (r["name"] or "").lower() for r in gold["referrals"]}
        got_all = {r.handle or (r.name or "").lower() for r in got.referrals}
        a_tp += len(gold_all & got_all)
        a_fp += len(got_all - gold_all)
        a_fn += len(gold_all - got_all)
        wrong = (
            got.intent != gold["intent"]
            or gold_all != got_all
            or got.lead_priority != gold["lead_priority"]
            or got.offers_contact != gold["offers_contact"]
        )
        if show_errors and wrong:
            print(
                f"\n{row['id']} gold={gold['intent']}/{gold['lead_priority']}/{gold['offers_contact']} "
                f"{sorted(gold_all)}\n      got={got.intent}/{got.lead_priority}/{got.offers_contact} "
                f"{sorted(got_all)}\n      {row['text'][:200]!r}"
            )

    print(f"\nintent accuracy        {intent_ok / n:.3f}")
    f1s = []
    print(f"{'intent':10} {'prec':>6} {'rec':>6} {'f1':>6} {'n':>4}")
    for label in INTENTS:
        tp = conf[(label, label)]
        fp = sum(v for (g, p), v in conf.items() if p == label and g != label)
        fn = sum(v for (g, p), v in conf.items() if g == label and p != label)
        p, r, f = prf(tp, fp, fn)
        f1s.append(f)
        print(f"{label:10} {p:6.3f} {r:6.3f} {f:6.3f} {tp + fn:4d}")
    print(f"intent macro-F1        {sum(f1s) / len(f1s):.3f}")
    sa_tp = sum(v for (g, p), v in conf.items() if p in ("spam", "abuse") and g == p)
    sa_pred = sum(v for (_g, p), v in conf.items() if p in ("spam", "abuse"))
    print(f"spam/abuse precision   {sa_tp / sa_pred if sa_pred else 1.0:.3f}")
    p, r, f = prf(h_tp, h_fp, h_fn)
    print(f"referral handles       precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    p, r, f = prf(a_tp, a_fp, a_fn)
    print(f"referrals (handle|name) precision {p:.3f}  recall {r:.3f}  F1 {f:.3f}")
    print(f"offers_contact accuracy {offers_ok / n:.3f}")
    print(f"lead_priority accuracy {prio_ok / n:.3f}")
    print(f"language accuracy      {lang_ok / n:.3f}")
    times.sort()
    p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
    print(f"ms per reply           p50 {statistics.median(times):.3f}  p95 {p95:.3f}  max {times[-1]:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
