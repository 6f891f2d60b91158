"""Cleaning attacker-controlled text, normalising handles, and the text shapes every stage shares (pure)."""

from __future__ import annotations

import re
import unicodedata

from bot.safety.text import BIDI_CONTROLS
from bot.understand.cues import LANGUAGES
from bot.understand.model import MAX_CHARS

# ------------------------------------------------------------------------------------------- cleaning
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_BIDI_TABLE = dict.fromkeys(map(ord, BIDI_CONTROLS), None)
_ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    if len(text) > MAX_CHARS * 4:
        text = f"{text[: MAX_CHARS * 2]}\n{text[-MAX_CHARS:]}"
    text = unicodedata.normalize("NFC", text)
    text = _ANSI.sub("", text).translate(_ZERO_WIDTH).translate(_BIDI_TABLE)
    text = _CONTROL.sub(" ", text)
    if len(text) > MAX_CHARS:  # keep the tail too: payloads hide after padding
        text = f"{text[: MAX_CHARS - 500]}\n{text[-500:]}"
    return text


_URL_PREFIX = re.compile(
    r"^(?:https?://)?(?:www\.|mobile\.)?(?:bsky\.app/profile/|(?:x|twitter)\.com/)", re.IGNORECASE
)


def normalise_handle(raw: str) -> str:
    """`@Foo_Bar.` -> `foo_bar`; `bsky.app/profile/a.bsky.social` -> `a.bsky.social`; `x.com/h` -> `h`.

    Lower-case, no leading `@`, zero-width/bidi/control characters removed, trailing punctuation and a
    possessive `'s` dropped."""
    h = clean_text(raw).strip()
    h = _URL_PREFIX.sub("", h)
    h = h.split("?", 1)[0].split("/", 1)[0] if "/" in h or "?" in h else h
    h = h.lstrip("@").strip().lower()
    h = re.sub(r"['’]s$", "", h)
    return h.rstrip(".,;:!?)]}>'\"’”-…").strip()


LATIN_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
LATIN_LO = "a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĵķĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżž"
GENERIC_CAPS = frozenset(
    "i llm llms ai ml nlp phd qd rl abm abms also the a an this that these it my our we you they he she "
    "and or but so if for in on at of to yes no not ok hi hey january february march april may june july "
    "august september october november december monday tuesday wednesday thursday friday saturday "
    "sunday".split()
)
QUOTED_TITLE = re.compile(r"[\"“'‘«「『][^\"”'’»」』]{3,}[\"”'’»」』]")

_STOP: dict[str, frozenset[str]] = {c.code: c.stop_words for c in LANGUAGES if c.stop_words}
# letters only Vietnamese writes (horn vowels, d-bar, vowels with a dot below or a hook above)
_VIETNAMESE = re.compile(r"[ươđƯƠĐ\u1ea0-\u1ef9]")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


# ------------------------------------------------------------------------------------------- helpers
# a word of an alphabetic script with its combining marks: Devanagari vowel signs and viramas, Arabic harakat and
# accents written apart belong to the word ("हिन्दी" is one word, not three); Han, kana and Hangul are counted apart
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05bd\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0903\u093a-\u094f\u0951-\u0957\u0962\u0963\u0981-\u0983\u09bc-\u09d7"
)
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_LETTER = f"[^\\W\\d_{_CJK}]"
_ALPHA_WORD = re.compile(f"{_LETTER}(?:{_LETTER}|[{_MARKS}])*")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]")
_HAN_KANA = re.compile(f"[{_CJK}]")


def count_words(text: str) -> int:
    """Length in words as a reader of the text's script counts them, on the scale of English words.

    Alphabetic scripts count words with their marks (a Devanagari vowel sign belongs to its word, "don't" is one
    word); Vietnamese, whose words are mostly one or two spaced syllables, counts four syllables as three words; a
    spaced Korean eojeol (a word with its particles and endings) counts one and a half; Chinese and Japanese,
    unspaced, count two characters as a word."""
    eojeol = 0
    if _HANGUL.search(text):  # a spaced Korean word (eojeol) counts once, whatever Latin or digits it carries
        words = text.split()
        kept = [w for w in words if not _HANGUL.search(w)]
        eojeol, text = len(words) - len(kept), " ".join(kept)
    alpha = len(_ALPHA_WORD.findall(text.replace("'", "").replace("’", "")))
    if len(_VIETNAMESE.findall(text)) >= 2:
        alpha = (alpha * 3 + 2) // 4
    return alpha + (eojeol * 3 + 1) // 2 + len(_HAN_KANA.findall(text)) // 2


def detect_language(text: str) -> str | None:
    """ISO 639-1 code by script and stop words; 'en' when Latin text gives no other signal."""
    body = re.sub(r"https?://\S+|@[\w.-]+|#\w+", " ", text)
    if re.search(r"[\u3040-\u30ff]", body):
        return "ja"
    if re.search(r"[\uac00-\ud7af]", body):
        return "ko"
    if re.search(r"[\u4e00-\u9fff]", body):
        return "zh"
    if re.search(r"[\u0400-\u04ff]", body):
        return "ru"
    if re.search(r"[\u0600-\u06ff]", body):
        return "ar"
    if re.search(r"[\u0900-\u097f]", body):
        return "hi"
    if len(_VIETNAMESE.findall(body)) >= 2:
        return "vi"
    words = [w.lower() for w in _WORD.findall(body)]
    if not words:
        return "en" if body.strip() else None  # emoji-only: the corpus convention is the thread's language
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > scores["en"] else "en"


def fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if c.isalnum())
