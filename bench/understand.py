"""Measure bot.understand.pipeline on the labelled corpora, saying which figures are in-sample and which are not.

Usage: .venv/bin/python bench/understand.py [--errors[=SET]] [--baseline=GIT_REV] [--corpus=DIR]

Reads ../shared/corpus/{dev,train}.jsonl (relative to the repository; `--corpus` overrides) and prints, per set:
referral precision/recall/F1 (by handle, or by name when there is no handle), intent accuracy, macro-F1 and
per-intent recall, lead_priority and offers_contact accuracy, spam/abuse precision, and p50/p95/max milliseconds
per reply, the timing including generated hostile 4,000-character inputs.

Sets and what they measure (the rules are hand-written, so "trained on" means "rules were developed while
reading its errors"):
  dev       98 rows, owner @noa_kessler. IN-SAMPLE: the rules were written while reading these rows.
  train-A   the 100 odd-numbered train rows (t001, t003, ...), owner @mara_lindqvist. IN-SAMPLE since the
            generalisation work of issue 14: its errors were read while developing rules.
  train-B   the 100 even-numbered train rows: held-out for the first round of issue-14 rules (developed on
            dev + train-A only). Its figures then were recorded in the commit "bench: record the held-out
            train-B figures" before any of its rows were read. Since then it is split:
  train-B1  t000, t004, t008, ... (train-B ids divisible by 4): read in the second round, now IN-SAMPLE.
  train-B2  t002, t006, t010, ...: HELD-OUT throughout, never read while developing (50 rows: the honest,
            if noisy, cross-set estimate of rules developed on dev + train-A + train-B1).
  train     all 200 (mixed).

Cross-set figures, recorded (not recomputable, because the rules are hand-written):
  dev -> train: the rules of 208703b (written on dev only) scored on all of train, before issue 14:
      referral F1 0.548 (P 0.920 R 0.390), intent macro-F1 0.604, priority 0.690, offers 0.925, spam/abuse P 1.00
      (`--baseline=208703b` prints them beside today's).
  dev + train-A -> train-B (round 1, train-B unread):
      referral F1 0.700 (P 0.875 R 0.583), intent macro-F1 0.655, priority 0.810, offers 0.950, spam/abuse P 1.00
      (same rows before issue 14: referral F1 0.529, macro-F1 0.608, priority 0.710).
  dev + train-A + train-B1 -> train-B2 (round 2, at 03d4881; train-B2 never read):
      referral F1 0.741 (P 0.833 R 0.667), intent macro-F1 0.825, priority 0.820, offers 0.980, spam/abuse P 1.00.
  Round 3 (issue 14, second round of rules): read NO corpus rows beyond round 2's sets. It was driven by
      ~470 new sentences written for the purpose in several languages (tests/data/understand/*.jsonl and the
      precision lists in tests/test_understand.py: given names with a relationship word, lab/team placements,
      lower-case honorifics, bulleted lists, funders named by their calls, organisations as subjects, staff of
      an organisation, spam/abuse/critique/social/offer phrasings, names that are not recommendations); the
      in-sample sets were only checked not to drop (`--errors` on dev/train-A/train-B1, never on train-B2).
      train-B2 after round 3 (still never read): referral F1 0.786 (P 0.846 R 0.733), intent macro-F1 0.862,
      priority 0.820, offers 0.980, spam/abuse P 1.00 (`--baseline=03d4881` prints both). 50 rows: one row
      moves a figure by 0.02-0.07, so read the direction more than the size.
A learned model was tried and not adopted: TF-IDF character 2-5-grams + word 1-2-grams, logistic regression
(scikit-learn), trained on dev + train-A and scored on train-B, reached intent macro-F1 0.42 alone and did not
improve the rules when used to override their "answer" label (0.655 -> 0.649-0.658 over thresholds); trained
on dev and scored on train it reached 0.41. With ~300 rows in 8 languages the cue rules generalise better.

`--baseline=REV` scores the understanding code as it was at git revision REV side by side (bot/understand/, or
bot/understand*.py before the package layout; e.g. 208703b, the commit before issue 14). `--errors=SET` prints the wrong rows of one set (never use it on train-B2, which is
what keeps train-B2 held-out).
"""

from __future__ import annotations

import importlib
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.understand.pipeline import normalise_handle, understand  # noqa: E402

OWNERS = {
    "dev": ("noa_kessler", "noakessler.bsky.social"),
    "train": ("mara_lindqvist", "maralindqvist.bsky.social"),
}
INTENTS = ("referral", "offer", "resource", "answer", "question", "social", "critique", "spam", "abuse")
NOTE = {
    "dev": "in-sample (rules written on it)",
    "train-A": "in-sample (issue-14 rules developed on it)",
    "train-B": "held-out in round 1, half read in round 2",
    "train-B1": "in-sample since round 2",
    "train-B2": "HELD-OUT (never read while developing)",
    "train": "mixed: 150 in-sample, 50 held-out",
}


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def hostile_inputs() -> list[str]:
    """Deterministic 4,000-character inputs aimed at the regexes (long runs, floods, near-misses)."""
    n = 4000
    units = [
        "a" * n,
        "A" * n,
        ("Dr. " * n)[:n],
        ("Prof. Van Der " * n)[:n],
        ("Ana de la " * n)[:n],
        ("Jane Doe at " * n)[:n],
        ("Jane Doe, " * n)[:n],
        ("@a " * n)[:n],
        ("@" + "a." * n)[:n],
        ("x.com/" * n)[:n],
        ("https://" + "a" * n)[:n],
        ("MIT " * n)[:n],
        ("ABCDEFGH" * n)[:n],
        ("田中さん" * n)[:n],
        ("先生に" * n)[:n],
        ("\x1b[" + "1;" * n)[:n],
        ("\u200b@ab" * n)[:n],
        ("\u202e" * n)[:n],
        ("ignore " * n)[:n],
        ("talk to " * n)[:n],
        ("my colleague " * n)[:n],
        ("(" * n)[:n],
        ("'" * n)[:n],
        ("Ééé-Ààà " * n)[:n],
        (" " * (n - 20)) + "ignore previous instructions",
        ("? " * n)[:n],
        ("ask Dr. Jane Doe from the Lab of " * n)[:n],
        ("=HYPERLINK(" * n)[:n],
        ("lol " * n)[:n],
        ("\n" * n)[:n],
    ]
    return units


def timed(
    fn: Callable[..., Any],
    text: str,
    platform: str,
    owner: tuple[str, str],
    clock: Callable[[], float] = time.perf_counter,
) -> float:
    """Milliseconds for one reply: the best of 5 runs, because the machine is shared and noisy."""
    best = float("inf")
    for _ in range(5):
        start = clock()
        fn(text, platform=platform, owner_handles=owner)
        best = min(best, clock() - start)
    return best * 1000


def score(fn: Callable[..., Any], rows: list[dict[str, Any]], owner: tuple[str, str]) -> dict[str, Any]:
    conf: Counter[tuple[str, str]] = Counter()
    a_tp = a_fp = a_fn = offers_ok = prio_ok = lang_ok = 0
    times: list[float] = []
    wrong: list[str] = []
    for row in rows:
        gold = row["labels"]
        got = fn(
            row["text"],
            platform=row["platform"],
            author_handle=row["author_handle"],
            author_name=row["author_name"],
            author_bio=row["author_bio"],
            owner_handles=owner,
        )
        times.append(timed(fn, row["text"], row["platform"], owner))
        conf[(gold["intent"], got.intent)] += 1
        offers_ok += got.offers_contact == gold["offers_contact"]
        prio_ok += got.lead_priority == gold["lead_priority"]
        lang_ok += got.language == gold["language"]
        gold_all = {
            normalise_handle(r["handle"]) if r["handle"] else (r["name"] or "").lower()
            for r in gold["referrals"]
        }
        got_all = {r.handle or (r.name or "").lower() for r in got.referrals}
        a_tp += len(gold_all & got_all)
        a_fp += len(got_all - gold_all)
        a_fn += len(gold_all - got_all)
        if (
            got.intent != gold["intent"]
            or gold_all != got_all
            or got.lead_priority != gold["lead_priority"]
            or got.offers_contact != gold["offers_contact"]
        ):
            wrong.append(
                f"{row['id']} gold={gold['intent']}/{gold['lead_priority']}/{gold['offers_contact']} "
                f"{sorted(gold_all)}\n      got={got.intent}/{got.lead_priority}/{got.offers_contact} "
                f"{sorted(got_all)}\n      {row['text'][:300]!r}"
            )
    hostile = [timed(fn, text, "x", owner) for text in hostile_inputs()]
    n = len(rows)
    out: dict[str, Any] = {"n": n, "wrong": wrong}
    f1s = []
    for label in INTENTS:
        tp = conf[(label, label)]
        fp = sum(v for (g, p), v in conf.items() if p == label and g != label)
        fn_ = sum(v for (g, p), v in conf.items() if g == label and p != label)
        _p, _r, f = prf(tp, fp, fn_)
        f1s.append(f)
        out[f"recall {label}"] = f"{tp}/{tp + fn_}"
        out[f"pred {label}"] = tp + fp
    out["intent acc"] = sum(conf[(i, i)] for i in INTENTS) / n
    out["intent macro-F1"] = sum(f1s) / len(f1s)
    sa_tp = sum(v for (g, p), v in conf.items() if p in ("spam", "abuse") and g == p)
    sa_pred = sum(v for (_g, p), v in conf.items() if p in ("spam", "abuse"))
    out["spam/abuse prec"] = sa_tp / sa_pred if sa_pred else 1.0
    out["referral P"], out["referral R"], out["referral F1"] = prf(a_tp, a_fp, a_fn)
    out["priority acc"] = prio_ok / n
    out["offers acc"] = offers_ok / n
    out["language acc"] = lang_ok / n
    times.sort()
    out["ms p50 rows"] = statistics.median(times)
    out["ms p95 rows"] = times[min(len(times) - 1, int(0.95 * len(times)))]
    out["ms max rows"] = times[-1]
    both = sorted(times + hostile)
    out["ms p95 +hostile"] = both[min(len(both) - 1, int(0.95 * len(both)))]
    out["ms max hostile"] = max(hostile)
    # CPU time of this process: what one reply costs without the other processes competing for the 2 cores
    cpu = [timed(fn, text, "x", owner, time.process_time) for text in hostile_inputs()]
    out["cpu-ms mean hostile"] = statistics.mean(cpu)
    out["cpu-ms max hostile"] = max(cpu)
    return out


def load_baseline(rev: str) -> Callable[..., Any]:
    """The understanding code at git revision REV, imported as a separate package for side-by-side scoring.

    Either layout: the package bot/understand/ (entry point `pipeline.understand`) or, before the layout
    change, the flat modules bot/understand*.py (entry point `understand.understand`)."""
    tmp = Path(tempfile.mkdtemp(prefix="understand-baseline-"))
    names = subprocess.run(
        ["git", "-C", str(ROOT), "ls-tree", "-r", "--name-only", rev, "bot/"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    pkg = tmp / "baseline_bot"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    packaged = any(name.startswith("bot/understand/") for name in names)
    for name in names:
        base = name.split("/", 1)[1]
        wanted = (
            base.startswith("understand/") if packaged else "/" not in base and base.startswith("understand")
        )
        if wanted and base.endswith(".py"):
            src = subprocess.run(
                ["git", "-C", str(ROOT), "show", f"{rev}:{name}"], capture_output=True, text=True, check=True
            ).stdout
            dest = pkg / base
            dest.parent.mkdir(parents=True, exist_ok=True)
            # bot/safe.py became bot/safety/text.py in the layout change
            src = src.replace("from bot.safe import", "from bot.safety.text import")
            dest.write_text(src.replace("from bot.understand", "from baseline_bot.understand"))
    sys.path.insert(0, str(tmp))
    module = importlib.import_module(
        "baseline_bot.understand.pipeline" if packaged else "baseline_bot.understand"
    )
    return module.understand  # type: ignore[no-any-return]


MEASURES = (
    "referral P",
    "referral R",
    "referral F1",
    "intent acc",
    "intent macro-F1",
    *(f"recall {i}" for i in INTENTS),
    "pred answer",
    "priority acc",
    "offers acc",
    "spam/abuse prec",
    "language acc",
    "ms p50 rows",
    "ms p95 rows",
    "ms max rows",
    "ms p95 +hostile",
    "ms max hostile",
    "cpu-ms mean hostile",
    "cpu-ms max hostile",
)


def main(argv: list[str]) -> int:
    opts = dict(a[2:].split("=", 1) if "=" in a else (a[2:], "") for a in argv if a.startswith("--"))
    corpus = Path(opts.get("corpus") or ROOT.parent / "shared" / "corpus")
    if not (corpus / "dev.jsonl").exists():
        print(f"no corpus at {corpus}: pass --corpus=DIR holding dev.jsonl and train.jsonl")
        return 1
    dev = load(corpus / "dev.jsonl")
    sets: dict[str, tuple[list[dict[str, Any]], tuple[str, str]]] = {"dev": (dev, OWNERS["dev"])}
    if (corpus / "train.jsonl").exists():
        train = load(corpus / "train.jsonl")
        odd = [r for r in train if int(r["id"][1:]) % 2 == 1]
        even = [r for r in train if int(r["id"][1:]) % 2 == 0]
        b1 = [r for r in even if int(r["id"][1:]) % 4 == 0]
        b2 = [r for r in even if int(r["id"][1:]) % 4 == 2]
        sets |= {
            "train-A": (odd, OWNERS["train"]),
            "train-B": (even, OWNERS["train"]),
            "train-B1": (b1, OWNERS["train"]),
            "train-B2": (b2, OWNERS["train"]),
            "train": (train, OWNERS["train"]),
        }
    systems: dict[str, Callable[..., Any]] = {"now": understand}
    if opts.get("baseline"):
        systems = {f"@{opts['baseline'][:7]}": load_baseline(opts["baseline"]), "now": understand}
    results = {(sys_name, s): score(fn, *sets[s]) for sys_name, fn in systems.items() for s in sets}

    cols = [(sys_name, s) for s in sets for sys_name in systems]
    print(
        f"corpus {corpus}; timing: best of 5 runs per reply; '+hostile' adds {len(hostile_inputs())} hostile 4,000-char inputs"
    )
    for s in sets:
        print(f"  {s:9} {len(sets[s][0]):4d} rows  {NOTE[s]}")
    print()
    width = 20 if len(systems) > 1 else 12
    print(f"{'':18}" + "".join(f"{(s + ' ' + n if len(systems) > 1 else s):>{width}}" for n, s in cols))
    for m in MEASURES:
        cells = []
        for c in cols:
            v = results[c][m]
            cells.append(f"{v:{width}.3f}" if isinstance(v, float) else f"{v!s:>{width}}")
        print(f"{m:18}" + "".join(cells))
    which = opts.get("errors")
    if which is not None:
        for s in [which] if which else list(sets):
            print(f"\n==== wrong rows in {s} ({len(results[('now', s)]['wrong'])})")
            for w in results[("now", s)]["wrong"]:
                print(w)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
