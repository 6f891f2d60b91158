"""Polish names in the case their contact verb governs, filed in the nominative (pure; used by `referrals`)."""

from __future__ import annotations

import re

# Polish contact verbs govern a case: "napisz do dr Agnieszki Nowak" (genitive), "zapytaj Ewę Zając" (accusative),
# "porozmawiaj z Anną Nowak" (instrumental); the referral is filed under the nominative, regular endings only
PL_CASE_BEFORE = re.compile(
    r"(?i:\b(?:(?P<gen>do|od|u|dla)|(?P<acc>zapytaj|poproś|polecam)|(?P<ins>(?:porozmawiaj|pogadaj|skontaktuj się|"
    r"spotkaj się|umów się) ze?))\s+(?:(?:dr|prof|pani|pana|panią|panem|mgr|inż)\.?\s+){0,2}$)"
)
_PL_ENDINGS = {  # (surname endings, given-name endings) per case: feminine first, then masculine
    "gen": (
        (("skiej", "ska"), ("ckiej", "cka"), ("dzkiej", "dzka"), ("skiego", "ski"), ("ckiego", "cki")),
        (("ii", "ia"), ("ki", "ka"), ("gi", "ga"), ("si", "sia"), ("zi", "zia"), ("ni", "nia"), ("y", "a")),
    ),
    "acc": (
        (("ską", "ska"), ("cką", "cka"), ("dzką", "dzka"), ("skiego", "ski"), ("ckiego", "cki")),
        (("ę", "a"),),
    ),
    "ins": (
        (
            ("ską", "ska"),
            ("cką", "cka"),
            ("dzką", "dzka"),
            ("skim", "ski"),
            ("ckim", "cki"),
            ("iem", ""),
            ("em", ""),
        ),
        (("ą", "a"), ("iem", ""), ("em", "")),
    ),
}


def _swap(word: str, endings: tuple[tuple[str, str], ...]) -> str:
    for old, new in endings:
        if word.endswith(old) and len(word) - len(old) >= 2:
            return word[: -len(old)] + new
    return word


def polish_nominative(name: str, case: str) -> str:
    """ "Agnieszki Nowak" (gen) -> "Agnieszka Nowak", "Jana Kowalskiego" (gen) -> "Jan Kowalski", "Anną Nowak"
    (ins) -> "Anna Nowak"; a name whose endings are not these is returned as it is."""
    tokens = name.split(" ")
    if len(tokens) < 2 or case not in _PL_ENDINGS:
        return name
    surnames, given = _PL_ENDINGS[case]
    last = tokens[-1]
    tokens[-1] = _swap(last, surnames)
    masculine_gen = case in ("gen", "acc") and last.endswith("ego")
    if masculine_gen and tokens[0].endswith("a"):
        tokens[0] = tokens[0][:-1]  # Jana -> Jan, Piotra -> Piotr
    elif not masculine_gen and (tokens[-1] != last or last[-1:].lower() not in "aeiouyąę"):
        tokens[0] = _swap(tokens[0], given)
    return " ".join(tokens)
