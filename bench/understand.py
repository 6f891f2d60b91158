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
      precision lists in tests/understand/test_understand.py: given names with a relationship word, lab/team placements,
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

Issue 19 (travel): five owners, and what a new owner would get.
  owners    dev -> noa_kessler; train -> mara_lindqvist; train2 -> brandwood (historian of medicine), takahara
            (indie game developer), mabuza (public-health researcher), each train2 row by the owner handle its
            query's replies name (`owner_of`).
  never-read  train2 rows whose id hashes (sha256 of "u19:" + id, first byte) below 52 (~20%, 48 rows): NEVER
            opened, printed or read while developing the issue-19 rules (`--errors` never prints them). Their
            figures are the honest estimate for rules; the rest of train2 was read.
  LOOO      leave-one-owner-out. For the rules it cannot be recomputed: they are one hand-written set, so the
            discipline is that issue-19 cues come from general knowledge of each language (contact verbs,
            offers, thanks, insults, name shapes per script), never from a corpus sentence or name; the per-owner
            row is then the figure to read, and the never-read slice checks it. For the learned intent model
            (bot/understand/learned.py, trained by bot/understand/train.py), LOOO is computed: trained on four
            owners' read rows, scored on the fifth, printed beside the model trained on all read rows (in-sample)
            and the rules alone on the same rows; the gap in-sample minus LOOO is printed per owner.
  Learned model (issue 19, second round): logistic regression over character 1-4-grams and words, asked only
            where the rules fall to "answer", and allowed only to lift a reply to referral/offer. LOOO over all
            538 rows: rules 0.855 macro-F1, rules + model 0.848 (model alone 0.593); never-read slice: rules
            0.670, + model 0.647 (LOOO) / 0.659 (shipped weights). It did not travel better than the rules, so
            it shipped off then. It ships ON since round 5 (below), trained on 1,689 rows.
  Recorded (issue 19, rules before -> after the per-language cues; never-read slice not read either time):
            never-read (49 rows) referral F1 0.375 -> 0.316, intent acc 0.612 -> 0.673, macro-F1 0.626 ->
            0.670, priority 0.735 -> 0.816, spam/abuse P 1.00 -> 1.00; all 538 rows macro-F1 0.823 -> 0.855.
  Recorded (issue 19, third round: negation in every language, sentence ends, org-internal names, German noun
            pairs; offers/insults/spam/critique/question particles/thanks in ko sv hi id pl ar tr vi; rules before ->
            after, never-read slice not read): train2 read rows referral F1 0.700 -> 0.857 (P 0.833 -> 0.957),
            macro-F1 0.706 -> 0.903, "answer" predicted 73 -> 37; all 538 rows referral F1 0.838 -> 0.891, macro-F1
            0.855 -> 0.918; never-read referral F1 0.316 -> 0.316, intent acc 0.673 -> 0.653, macro-F1 0.670 ->
            0.656, priority 0.816 -> 0.837. The read rows gained, the never-read slice did not: the gap grew.
  per-language  intent accuracy by the corpus's `labels.language` over all 538 rows, and over the never-read slice.
  Fourth round (synthetic owners): the never-read slice is 49 rows (one row moves referral F1 by ~0.1), so two
            sets of 200 rows were written for the purpose, each by a writer who followed the corpus README and
            never saw bot/: bench/data/synth_a.jsonl (a cold-chain logistics founder and an urban-heat
            researcher) and synth_b.jsonl (a marine ecologist and a museum conservator); 40% English, the rest
            8-10 rows each of pl ko hi id fr nl de es pt tr sv vi ar, a few it/ja; 22% referrals, most of them
            name-only. synth-a's errors were READ while writing round-4 rules (as shapes, each tested with our
            own sentences); synth-b was NEVER read (`--errors` skips it): its figures are the held-out estimate
            for an owner, topic and writer the rules have not seen. synth-c (a solar mini-grid engineer and a
            sleep researcher, a third writer) was added after round 4, also never read.
            Round 4, rules before -> after (synth-a read): synth-a referral F1 0.629 -> 0.939, macro-F1 0.667 ->
            0.965; synth-b (held out) referral F1 0.691 -> 0.716, macro-F1 0.723 -> 0.745, priority 0.695 ->
            0.700. The read set gained ten times what the held-out one did.
  Fifth round: four more blind-written sets of 250 rows (synth_d..g: a food-bank coordinator, a seismologist,
            a literacy non-profit founder, a battery-recycling chemist, a wildfire-smoke modeller, an open-source
            maintainer, a midwife-researcher, a craft brewer; each writer given a style: short and casual, long
            and formal, technical and messy, idiomatic non-English). Scored once before anyone read them (the
            rules after round 4, 1,000 rows): referral F1 0.652, macro-F1 0.747, priority 0.746, spam/abuse P
            0.982. Then their errors were read for round-5 rules (shapes, tested with our own sentences), and
            they train the learned model with the corpus and synth-a (`bot/understand/train.py`; never b or c).
            The model now may relabel any reply the rules call "answer" when its label is 3x as likely (never
            spam/abuse): chosen by leave-one-set-out over the five read sets, where it raised macro-F1 on every
            set (printed by `synth_looso`), while lifting only to referral/offer rose on two and fell on two.
            Held out after round 5 (rules | rules + shipped model): synth-b macro-F1 0.770 | 0.777, priority
            0.735 | 0.745, referral F1 0.716; synth-c macro-F1 0.815 | 0.829, priority 0.795 | 0.825,
            referral F1 0.714; spam/abuse P 1.00 on both.
  Sixth to eighth rounds (third session): more blind-written data, each set scored ONCE before it was read or
            trained on (its first score is in the commit that added it), then read by rule-writing helpers (each
            rule a general shape with our own test sentences) and added to the models' training:
            synth_h..k (four sets; ~88% of referrals name-only), synth_m..r (six; more names that are NOT
            referrals), synth_s..w (five; s, t, u English-heavy with about half the referrals by handle). synth_l
            (a refugee-schools NGO director and a glacier hydrologist) is held out with b and c: never read, and
            its figures were not printed until the last run of the session.
            The referral-name tagger (`bot/understand/spans.py`): a left-to-right maximum-entropy tagger over
            words (word, affixes, shape, neighbours, contact cues of every language near and anywhere in the
            reply, the previous tags), asked only when the intent model reads the reply as a referral (P >= 0.5,
            or >= 0.2 with a contact cue; never with a negated one). Chosen by leave-one-set-out on h-k with both
            models trained without the set: referral F1 rules 0.588, ungated tagger 0.639 (but it filed a name in
            21 of the 87 sentences written to test that non-recommendations are not referrals), gated 0.637 (3 of
            87). First scores of the fresh sets with and without it (rules + intent model -> + tagger): m .533 ->
            .584, n .655 -> .703, o .441 -> .552, p .566 -> .607, q .464 -> .565, r .550 -> .628, s .685 -> .675,
            t .768 -> .814, v .439 -> .516, w .488 -> .607. It helps most where names come without handles.
            First scores of the fresh sets (shipped then): macro-F1 m .775, n .844, o .765, p .800, q .765, r .768,
            then after rounds 6-7 and training on m-r: s .832, t .859, v .763, w .787; priority m-r .768-.828,
            s-w .780-.872.
            Final run of the session (models trained on 6,439 rows, rules after round 9): held out, shipped
            (rules alone in brackets): synth-b ref F1 .729 (.716), macro-F1 .834 (.799), priority .800 (.765);
            synth-c .773 (.714), .898 (.862), .885 (.840); synth-l (first score) .574 (.515), .764 (.732), .770
            (.755); synth-zb (first score) .723 (.667), .744 (.734), .752 (.708), spam/abuse P .933; synth-zc
            (first score) .639 (.500), .747 (.714), .720 (.696); synth-zd (first score) .698 (.658), .776 (.716),
            .760 (.724), spam/abuse P .933. All 1,350 held-out rows: ref F1 .686, macro-F1 .794, priority .777,
            spam/abuse P .977. The writers differ more than the rounds do: the same system scores synth-c and
            synth-zc .151 apart in macro-F1. Read sets with the models left out (rules in-sample): ref F1 .720,
            macro-F1 .920, priority .878: the rules written from read errors still travel far less than that.

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
sys.path.insert(1, str(ROOT / "bench"))

from bot.understand import learned  # noqa: E402
from bot.understand.normalise import clean_text  # noqa: E402
from bot.understand.pipeline import normalise_handle, understand  # noqa: E402
from bot.understand.train import SYNTH_HELD_OUT, SYNTH_TRAINING, corpus_rows, never_read, train_spans  # noqa: E402
from bot.understand.train import train as train_intent  # noqa: E402

OWNERS = {
    "dev": ("noa_kessler", "noakessler.bsky.social"),
    "train": ("mara_lindqvist", "maralindqvist.bsky.social"),
    "brandwood": ("obrandwoodhist", "obrandwood.net"),
    "takahara": ("mothlight_ren", "rentakahara.bsky.social"),
    "mabuza": ("lmabuza_ph", "leontinemabuza.bsky.social"),
}
OWNER_NAMES = {
    "dev": "noa",
    "train": "mara",
    "brandwood": "brandwood",
    "takahara": "takahara",
    "mabuza": "mabuza",
}
INTENTS = ("referral", "offer", "resource", "answer", "question", "social", "critique", "spam", "abuse")
NOTE = {
    "dev": "in-sample (rules written on it)",
    "train-A": "in-sample (issue-14 rules developed on it)",
    "train-B": "held-out in round 1, half read in round 2",
    "train-B1": "in-sample since round 2",
    "train-B2": "HELD-OUT (never read while developing)",
    "train": "mixed: 150 in-sample, 50 held-out",
    "train2-read": "train2 minus the never-read slice (read in issue 19)",
    "synth-a": "ours, 4th round: written blind to the rules, errors READ while fixing",
    "synth-b": "ours, 4th round: written blind to the rules, NEVER read (held-out)",
    "synth-c": "ours, written blind to the rules and to synth-a/b, NEVER read (held-out)",
    "synth-d": "ours, 5th round: blind-written, read after its first score (recorded)",
    "synth-e": "ours, 5th round: blind-written, read after its first score (recorded)",
    "synth-f": "ours, 5th round: blind-written, read after its first score (recorded)",
    "synth-g": "ours, 5th round: blind-written, read after its first score (recorded)",
    "synth-h": "ours, 6th round: blind-written, read after its first score (recorded)",
    "synth-i": "ours, 6th round: blind-written, read after its first score (recorded)",
    "synth-j": "ours, 6th round: blind-written, read after its first score (recorded)",
    "synth-k": "ours, 6th round: blind-written, read after its first score (recorded)",
    "synth-m": "ours, 7th round: blind-written (more names that are not referrals), scored once, then trained on",
    "synth-n": "ours, 7th round: blind-written (more names that are not referrals), scored once, then trained on",
    "synth-o": "ours, 7th round: blind-written (more names that are not referrals), scored once, then trained on",
    "synth-p": "ours, 7th round: blind-written (more names that are not referrals), scored once, then trained on",
    "synth-q": "ours, 7th round: blind-written (more names that are not referrals), scored once, then trained on",
    "synth-r": "ours, 7th round: blind-written (more names that are not referrals), scored once, then trained on",
    "synth-s": "ours, 8th round: blind-written (s-u: more handles, English-heavy), scored once, then trained on",
    "synth-t": "ours, 8th round: blind-written (s-u: more handles, English-heavy), scored once, then trained on",
    "synth-u": "ours, 8th round: blind-written (s-u: more handles, English-heavy), scored once, then trained on",
    "synth-v": "ours, 8th round: blind-written (s-u: more handles, English-heavy), scored once, then trained on",
    "synth-w": "ours, 8th round: blind-written (s-u: more handles, English-heavy), scored once, then trained on",
    "synth-x": "ours, 9th round: blind-written, scored once, then trained on",
    "synth-y": "ours, 9th round: blind-written, scored once, then trained on",
    "synth-z": "ours, 9th round: blind-written, scored once, then trained on",
    "synth-za": "ours, 9th round: blind-written, scored once, then trained on",
    "synth-zb": "ours, 9th round: blind-written, NEVER read (held-out), first scored by the final system",
    "synth-zc": "ours, 9th round: blind-written, NEVER read (held-out), first scored by the final system",
    "synth-zd": "ours, 9th round: blind-written, NEVER read (held-out), first scored by the final system",
    "synth-l": "ours, 6th round: blind-written, NEVER read (held-out)",
}
DATA = ROOT / "bench" / "data"
# the owners of bench/data/synth_{a,b}.jsonl (fictional; see the module docstring)
SYNTH_OWNERS = {
    "synth-a": ("kofi_coldchain", "kofiasante.bsky.social", "ines_heatlab", "inesvalle.bsky.social"),
    "synth-b": (
        "dr_sela_reef",
        "selamorgan.bsky.social",
        "selamorgan",
        "pbaptiste_cons",
        "pbaptiste.bsky.social",
    ),
    "synth-c": (
        "amani_grid",
        "amaniwekesa.bsky.social",
        "dr_hollis_sleep",
        "hollisgrant.bsky.social",
        "hollisgrant",
    ),
    "synth-d": ("rosa_foodnet", "rosaquintero.bsky.social", "tkd_quake", "takedaseis.bsky.social"),
    "synth-e": (
        "literacy_nadia",
        "nadiaokoro.bsky.social",
        "nadiaokoro",
        "li_cycle_max",
        "maxbergstrom.bsky.social",
    ),
    "synth-f": ("smoke_model_jo", "joannapike.bsky.social", "geo_oss_luis", "luismarin.bsky.social"),
    "synth-g": ("midwife_amara", "amaraeze.bsky.social", "amaraeze", "hopsandh2o", "brewerbeck.bsky.social"),
    "synth-h": ("bee_margins", "margotlis.bsky.social", "margotlis", "a11y_tomas", "tomasreyes.bsky.social"),
    "synth-i": (
        "fiber_coop_deniz",
        "denizaksoy.bsky.social",
        "scribal_hands",
        "ewaborowska.bsky.social",
        "ewaborowska",
    ),
    "synth-j": ("floodplan_yuna", "yunapark.bsky.social", "pickbot_raj", "rajmenon.bsky.social", "rajmenon"),
    "synth-k": (
        "forensic_lex",
        "claudinemercier.bsky.social",
        "claudinemercier",
        "methane_moo",
        "hendrikvos.bsky.social",
    ),
    "synth-m": (
        "avian_watch_ola",
        "olaokafor.bsky.social",
        "signterm_ines",
        "inesduarte.bsky.social",
        "inesduarte",
    ),
    "synth-n": (
        "fixit_lotte",
        "lottevermeer.bsky.social",
        "nudge_arjun",
        "arjunkapoor.bsky.social",
        "arjunkapoor",
    ),
    "synth-o": (
        "terrace_lidar",
        "marisolvega.bsky.social",
        "marisolvega",
        "nightshift_rn",
        "gracemwangi.bsky.social",
    ),
    "synth-p": (
        "net_chem_sora",
        "soratanaka.bsky.social",
        "radio_dunya",
        "dunyaahmadi.bsky.social",
        "dunyaahmadi",
    ),
    "synth-q": (
        "hearwell_femi",
        "femiadeyemi.bsky.social",
        "femiadeyemi",
        "dockvoices",
        "katarzynalis.bsky.social",
    ),
    "synth-r": (
        "vine_soil_ana",
        "anabeltran.bsky.social",
        "onehand_play",
        "leoschmidt.bsky.social",
        "leoschmidt",
    ),
    "synth-s": (
        "foxcam_nils",
        "nilsekberg.bsky.social",
        "nilsekberg",
        "gigsave_amaka",
        "amakaobi.bsky.social",
    ),
    "synth-t": (
        "lexicon_tane",
        "tanewiremu.bsky.social",
        "tanewiremu",
        "pipeleak_irma",
        "irmakoval.bsky.social",
    ),
    "synth-u": (
        "countkids_mei",
        "meichen.bsky.social",
        "beanbar_tomas",
        "tomasrivera.bsky.social",
        "tomasrivera",
    ),
    "synth-v": (
        "tiles_dev_oren",
        "orenbarak.bsky.social",
        "orenbarak",
        "homehospice_ada",
        "adakowalczyk.bsky.social",
    ),
    "synth-w": (
        "ebout_jens",
        "jenshansen.bsky.social",
        "mutualaid_lucia",
        "luciaromero.bsky.social",
        "luciaromero",
    ),
    "synth-x": (
        "replicate_hana",
        "hanaberger.bsky.social",
        "hanaberger",
        "cargobike_kwame",
        "kwamemensah.bsky.social",
    ),
    "synth-y": (
        "swift_tracker_eva",
        "evanovak.bsky.social",
        "seedlib_marcus",
        "marcusbell.bsky.social",
        "marcusbell",
    ),
    "synth-z": (
        "handlab_ravi",
        "ravisubramanian.bsky.social",
        "ravisubramanian",
        "waterdesk_noor",
        "noorhaddad.bsky.social",
    ),
    "synth-za": (
        "muon_club_lin",
        "linzhou.bsky.social",
        "bugfeed_sofia",
        "sofiaandersson.bsky.social",
        "sofiaandersson",
    ),
    "synth-zb": (
        "skincheck_ama",
        "amaowusu.bsky.social",
        "amaowusu",
        "tinytimber_olle",
        "ollelund.bsky.social",
    ),
    "synth-zc": (
        "hotsite_deepa",
        "deepaiyer.bsky.social",
        "poemfest_ines",
        "inessousa.bsky.social",
        "inessousa",
    ),
    "synth-zd": (
        "audit_welfare_jo",
        "johannaberg.bsky.social",
        "johannaberg",
        "pollinate_kofi",
        "kofiboateng.bsky.social",
    ),
    "synth-l": (
        "classroom_kemal",
        "kemalyilmaz.bsky.social",
        "kemalyilmaz",
        "icemelt_priya",
        "priyanair.bsky.social",
    ),
}
# `--errors` never prints these: train-B2 and the sets the model never trains on (bot/understand/train.py)
SYNTH_HELD = tuple(n.replace("_", "-") for n in SYNTH_HELD_OUT)
HELD_OUT = ("train-B2", *SYNTH_HELD)


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def assign_owners(rows: list[dict[str, Any]], default: str | None) -> list[str]:
    """Each row's owner: the set's one owner, or (train2) the owner whose handles the replies to its query name."""
    if default is not None:
        return [default] * len(rows)
    votes: dict[str, Counter[str]] = {}
    for row in rows:
        low = row["text"].lower()
        for owner, handles in OWNERS.items():
            if any(h in low for h in handles):
                votes.setdefault(row["query"], Counter())[owner] += 1
    return [votes[row["query"]].most_common(1)[0][0] if row["query"] in votes else "?" for row in rows]


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
        ("김민준 교수님께 연락해 보세요 " * n)[:n],
        ("डॉ. प्रिया शर्मा से बात करो " * n)[:n],
        ("تواصل مع د. ليلى حداد " * n)[:n],
        ("liên hệ chị Nguyễn Thị Lan " * n)[:n],
        ("napisz do dr Anny Kowalskiej " * n)[:n],
        ("Ayşe Hoca'ya sor " * n)[:n],
        ("hubungi Pak Budi Santoso " * n)[:n],
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


def figures(pairs: list[tuple[dict[str, Any], Any]]) -> dict[str, float]:
    """The headline figures of (row, Understanding) pairs: referral F1, intent accuracy and macro-F1, priority
    accuracy, spam/abuse precision."""
    conf: Counter[tuple[str, str]] = Counter()
    tp = fp = fn = prio = 0
    for row, got in pairs:
        gold = row["labels"]
        conf[(gold["intent"], got.intent)] += 1
        prio += got.lead_priority == gold["lead_priority"]
        gold_all = {
            normalise_handle(r["handle"]) if r["handle"] else (r["name"] or "").lower()
            for r in gold["referrals"]
        }
        got_all = {r.handle or (r.name or "").lower() for r in got.referrals}
        tp, fp, fn = tp + len(gold_all & got_all), fp + len(got_all - gold_all), fn + len(gold_all - got_all)
    n = len(pairs) or 1
    present = [i for i in INTENTS if any(g == i or p == i for g, p in conf)]
    f1s = []
    for label in present:
        ltp = conf[(label, label)]
        lfp = sum(v for (g, p), v in conf.items() if p == label and g != label)
        lfn = sum(v for (g, p), v in conf.items() if g == label and p != label)
        f1s.append(prf(ltp, lfp, lfn)[2])
    sa_pred = sum(v for (_g, p), v in conf.items() if p in ("spam", "abuse"))
    sa_tp = sum(v for (g, p), v in conf.items() if p in ("spam", "abuse") and g == p)
    return {
        "n": float(len(pairs)),
        "ref F1": prf(tp, fp, fn)[2],
        "intent acc": sum(conf[(i, i)] for i in INTENTS) / n,
        "macro-F1": sum(f1s) / len(f1s) if f1s else 1.0,
        "priority": prio / n,
        "spam/ab P": sa_tp / sa_pred if sa_pred else 1.0,
    }


def print_figures(title: str, rows: dict[str, dict[str, float]]) -> None:
    keys = ["n", "ref F1", "intent acc", "macro-F1", "priority", "spam/ab P"]
    print(f"\n{title}")
    print(f"{'':34}" + "".join(f"{k:>11}" for k in keys))
    for name, fig in rows.items():
        cells = "".join(f"{int(fig[k]):11d}" if k == "n" else f"{fig[k]:11.3f}" for k in keys)
        print(f"{name:34}{cells}")


def _label(fn: Callable[..., Any], rows: list[dict[str, Any]], owners: list[str], **kw: Any) -> list[Any]:
    return [
        fn(
            r["text"],
            platform=r["platform"],
            author_handle=r["author_handle"],
            author_name=r["author_name"],
            author_bio=r["author_bio"],
            owner_handles=OWNERS.get(o, ()),
            **kw,
        )
        for r, o in zip(rows, owners, strict=True)
    ]


def travel(corpus: Path, fn: Callable[..., Any]) -> None:
    """Issue 19: per owner (in-sample, never-read, leave-one-owner-out), per language, and timing, over all sets.

    Rules alone (`intent_model=False`, which also keeps the referral-name tagger out) beside rules + the learned
    models (intent model and tagger): trained on every corpus read row (in-sample) and on the other four owners'
    read rows only (LOOO). The rules are one hand-written set read on every owner, so only the models' part of a
    LOOO figure is out of sample. (The shipped models also learn from the blind-written sets: synth_looso.)"""
    rows: list[dict[str, Any]] = []
    owners: list[str] = []
    for name, default in (("dev", "dev"), ("train", "train"), ("train2", None)):
        if (corpus / f"{name}.jsonl").exists():
            part = load(corpus / f"{name}.jsonl")
            rows += part
            owners += assign_owners(part, default)
    rules = _label(fn, rows, owners, intent_model=False)
    read = [r for r in rows if not never_read(r)]
    start = time.perf_counter()
    full = train_intent(read)
    full_tagger = train_spans(read)
    train_s = time.perf_counter() - start
    with_full = _label(fn, rows, owners, intent_model=full, span_model=full_tagger)
    looo: list[Any] = [None] * len(rows)
    alone: list[str] = [""] * len(rows)
    for owner in OWNERS:
        mine = [i for i, o in enumerate(owners) if o == owner]
        others = [r for r, o in zip(rows, owners, strict=True) if o != owner and not never_read(r)]
        model = train_intent(others)
        got = _label(
            fn,
            [rows[i] for i in mine],
            [owner] * len(mine),
            intent_model=model,
            span_model=train_spans(others),
        )
        for i, u in zip(mine, got, strict=True):
            looo[i] = u
            p = model.probabilities(clean_text(rows[i]["text"]))
            alone[i] = max(p, key=lambda k: p[k])
    table: dict[str, dict[str, float]] = {}
    gaps: list[str] = []
    for owner in OWNERS:
        mine = [i for i, o in enumerate(owners) if o == owner]
        if not mine:
            continue
        label = OWNER_NAMES[owner]
        seen = [i for i in mine if not never_read(rows[i])]
        unread = [i for i in mine if never_read(rows[i])]
        table[f"{label} rules, read (in-sample)"] = figures([(rows[i], rules[i]) for i in seen])
        table[f"{label} +model in-sample"] = figures([(rows[i], with_full[i]) for i in seen])
        table[f"{label} +model LOOO"] = looo_fig = figures([(rows[i], looo[i]) for i in seen])
        table[f"{label} model alone LOOO"] = _intent_figures(
            [rows[i] for i in seen], [alone[i] for i in seen]
        )
        if unread:
            table[f"{label} rules, never-read"] = figures([(rows[i], rules[i]) for i in unread])
            table[f"{label} +model never-read (LOOO)"] = figures([(rows[i], looo[i]) for i in unread])
        ins = table[f"{label} +model in-sample"]["macro-F1"]
        gap = ins - looo_fig["macro-F1"]
        gaps.append(f"{label} {gap:+.3f}{' MEMORISING' if gap > 0.05 else ''}")
    every = range(len(rows))
    table["ALL rules (538)"] = figures([(rows[i], rules[i]) for i in every])
    table["ALL +model LOOO (538)"] = figures([(rows[i], looo[i]) for i in every])
    table["ALL model alone LOOO (538)"] = _intent_figures(rows, alone)
    table["ALL never-read rules"] = figures([(rows[i], rules[i]) for i in every if never_read(rows[i])])
    table["ALL never-read +model (LOOO)"] = figures(
        [(rows[i], looo[i]) for i in every if never_read(rows[i])]
    )
    table["ALL never-read +model (shipped)"] = figures(
        [(rows[i], with_full[i]) for i in every if never_read(rows[i])]
    )
    print_figures(
        "Rules alone and rules + learned model, by owner (read = every row but the never-read slice; "
        "LOOO = model trained on the other four owners' read rows):",
        table,
    )
    print(f"  macro-F1 gap, rules+model in-sample minus LOOO (> 0.05 = memorising): {'; '.join(gaps)}")
    print(
        f"  models: trained on {len(read)} read rows in {train_s:.1f} s, {len(full.weights)} intent features, "
        f"{len(full_tagger.weights)} tagger features"
    )
    _by_language(rows, [rules, looo])
    _timing(fn, rows, owners)


LOOSO_FOLDS = 5  # the read blind-written sets in this many groups (each group's models trained without it)


def synth_looso(corpus: Path, fn: Callable[..., Any]) -> None:
    """The learned models on owners they never saw: the READ blind-written sets in LOOSO_FOLDS groups; for each
    group, the intent model and the referral-name tagger trained on the corpus's read rows and the other
    groups (never the held-out sets), against the rules alone on that group's sets; then the held-out sets with
    the shipped models (trained on all read sets)."""
    read = [r for r in (corpus_rows(corpus) if corpus.exists() else []) if not never_read(r)]
    sets = {n: load(DATA / f"{n}.jsonl") for n in SYNTH_TRAINING if (DATA / f"{n}.jsonl").exists()}
    names = list(sets)
    folds = [names[k::LOOSO_FOLDS] for k in range(LOOSO_FOLDS)]
    table: dict[str, dict[str, float]] = {}
    pooled: dict[str, list[tuple[dict[str, Any], Any]]] = {"rules": [], "+models left out": []}
    for fold in folds:
        rest = read + [r for other, rs in sets.items() if other not in fold for r in rs]
        models: dict[str, Any] = {"intent_model": train_intent(rest), "span_model": train_spans(rest)}
        for name in fold:
            rows = sets[name]
            owner = SYNTH_OWNERS[name.replace("_", "-")]
            for label, kw in (("rules", {"intent_model": False}), ("+models left out", models)):
                got = [_one(fn, r, owner_handles=owner, **kw) for r in rows]
                table[f"{name} {label}"] = figures(list(zip(rows, got, strict=True)))
                pooled[label] += list(zip(rows, got, strict=True))
    for label, pairs in pooled.items():
        table[f"ALL read sets {label}"] = figures(pairs)
    ok: Counter[str] = Counter()
    seen: Counter[str] = Counter()
    held: dict[str, list[tuple[dict[str, Any], Any]]] = {"rules": [], "+models shipped": []}
    for name in SYNTH_HELD:
        path = DATA / f"{name.replace('-', '_')}.jsonl"
        if path.exists():
            rows = load(path)
            for label, choice in (("rules", False), ("+models shipped", True)):
                got = [_one(fn, r, intent_model=choice, owner_handles=SYNTH_OWNERS[name]) for r in rows]
                table[f"{name} (held out) {label}"] = figures(list(zip(rows, got, strict=True)))
                held[label] += list(zip(rows, got, strict=True))
            for r, u in zip(rows, got, strict=True):  # the shipped labels, per language
                seen[r["labels"]["language"]] += 1
                ok[r["labels"]["language"]] += u.intent == r["labels"]["intent"]
    for label, pairs in held.items():
        table[f"ALL held out {label}"] = figures(pairs)
    print_figures(
        f"The learned models, leave-one-group-out over the read blind-written sets ({LOOSO_FOLDS} groups), "
        "then the held-out sets:",
        table,
    )
    print(
        f"Held-out intent accuracy by language ({' + '.join(SYNTH_HELD)}, shipped; '<' marks under 0.75 on 8+ rows):"
    )
    cells = [
        f"{lang} {ok[lang]}/{n} {ok[lang] / n:.2f}{' <' if ok[lang] / n < 0.75 and n >= 8 else ''}"
        for lang, n in seen.most_common()
    ]
    print("  " + "  ".join(cells))


def _one(fn: Callable[..., Any], r: dict[str, Any], **kw: Any) -> Any:
    return fn(
        r["text"],
        platform=r["platform"],
        author_handle=r["author_handle"],
        author_name=r["author_name"],
        author_bio=r["author_bio"],
        **kw,
    )


def _by_language(rows: list[dict[str, Any]], systems: list[list[Any]]) -> None:
    print(
        "\nIntent accuracy by language (labels.language): rules | rules+model LOOO; all rows, then never-read"
    )
    stats: dict[str, list[list[bool]]] = {}
    for i, r in enumerate(rows):
        lang = r["labels"]["language"]
        cell = stats.setdefault(lang, [[] for _ in range(2 * len(systems))])
        for k, preds in enumerate(systems):
            ok = preds[i].intent == r["labels"]["intent"]
            cell[2 * k].append(ok)
            if never_read(r):
                cell[2 * k + 1].append(ok)
    for lang in sorted(stats, key=lambda k: -len(stats[k][0])):
        parts = []
        for k in range(len(systems)):
            v, u = stats[lang][2 * k], stats[lang][2 * k + 1]
            unread = f"{sum(u):3d}/{len(u):<3d}" if u else "   -   "
            flag = " <0.75" if len(v) >= 8 and sum(v) / len(v) < 0.75 else "      "
            parts.append(f"{sum(v):4d}/{len(v):<4d} {sum(v) / len(v):.3f} {unread}{flag}")
        print(f"  {lang:4} " + "  |  ".join(parts))


def _timing(fn: Callable[..., Any], rows: list[dict[str, Any]], owners: list[str]) -> None:
    times = sorted(
        timed(fn, r["text"], r["platform"], OWNERS.get(o, ())) for r, o in zip(rows, owners, strict=True)
    )
    hostile = [timed(fn, text, "x", OWNERS["dev"]) for text in hostile_inputs()]
    both = sorted(times + hostile)
    print(
        f"\nTiming ms/reply (best of 5, learned model {'on' if learned.ENABLED else 'off'}), {len(times)} rows: p50 {statistics.median(times):.2f} "
        f"p95 {times[int(0.95 * len(times))]:.2f} max {times[-1]:.2f}; with {len(hostile)} hostile 4,000-char "
        f"inputs: p95 {both[int(0.95 * len(both))]:.2f} max {max(both):.2f} (hostile max {max(hostile):.2f})"
    )


def _intent_figures(rows: list[dict[str, Any]], labels: list[str]) -> dict[str, float]:
    class _P:
        def __init__(self, intent: str) -> None:
            self.intent, self.referrals, self.lead_priority = intent, (), "low"

    return figures([(r, _P(label)) for r, label in zip(rows, labels, strict=True)])


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
    if (corpus / "train2.jsonl").exists():
        train2 = load(corpus / "train2.jsonl")
        three = (*OWNERS["brandwood"], *OWNERS["takahara"], *OWNERS["mabuza"])
        sets["train2-read"] = ([r for r in train2 if not never_read(r)], three)  # type: ignore[assignment]
    for name, owner in SYNTH_OWNERS.items():
        path = DATA / f"{name.replace('-', '_')}.jsonl"
        if path.exists():
            sets[name] = (load(path), owner)  # type: ignore[assignment]
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
    travel(corpus, understand)
    synth_looso(corpus, understand)
    which = opts.get("errors")
    if which is not None:
        for s in [which] if which else [k for k in sets if k not in HELD_OUT]:
            if s in HELD_OUT:
                print(f"\n==== {s} is held out: its rows are never printed")
                continue
            print(f"\n==== wrong rows in {s} ({len(results[('now', s)]['wrong'])})")
            for w in results[("now", s)]["wrong"]:
                print(w)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
