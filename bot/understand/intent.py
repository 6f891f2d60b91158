"""Stage 3: what a reply is for when it refers nobody: offer, resource, critique, question, answer, social (pure)."""

from __future__ import annotations

import re

from bot.understand.cues import CueMatcher, union
from bot.understand.model import Intent
from bot.understand.normalise import GENERIC_CAPS, count_words

OFFER = CueMatcher(*union(lambda c: c.offer))
OFFER_HEDGE = CueMatcher(
    r"\b(?:swap|trade|exchange) (?:notes|drafts|ideas|war stories|tips)\b",
    r"\bsame boat\b",
    r"\bnot sure i (?:have|'ve got) (?:the )?(?:time|bandwidth|capacity)\b",
    r"\bif it happens\b",
    r"\bnot sure (?:about )?(?:my time|i have (?:the )?time|if i have|i can commit)\b",
    r"\b(?:could|can) maybe\b",
    r"\bif there'?s (?:room|space)\b",
    r"\bif (?:it'?s|that'?s) (?:ok|okay)\b",
)

_CRITIQUE = CueMatcher(*union(lambda c: c.critique))
_SARCASM = CueMatcher(
    r"\boh (?:great|good|wow|sure|joy)\b",
    r"\bwhat a (?:surprise|shock)\b",
    r"\bwho (?:could|would)(?: have|'ve) (?:guessed|thought)\b",
    r"🙄",
    r"\byeah,? right\b",
    r"\bnext you'?ll (?:want|say|tell)\b",
    r"^\s*ah yes\b",
    r"\bsaid no one\b",
    r"\bwhat could (?:possibly )?go wrong\b",
    r"(?:^|\s)/s\b",
    r"\bsure,? because\b",
)
_JOKEY = CueMatcher(
    r"\bgood luck\b|\brooting for you\b|\bfingers crossed\b",
    r"\bmy (?:grand(?:mother|father|ma|pa|parents)|mum|mom|dad|father|mother|aunt|uncle|nan|granny)\b",
    r"\bwish i (?:still )?had\b",
    r"\bevery time (?:someone|somebody|anyone) (?:asks|posts|says)\b",
    r"\brelatable\b|\b(?:too|so) real\b",
    r"\bnothing (?:useful |much |of value )?to add\b",
    r"\bi (?:just )?love this (?:question|thread|idea)\b",
    r"\b(?:reposting|boosting|bumping|signal[- ]boosting|amplifying) (?:this|for)\b|\bfor visibility\b",
    r"^\s*(?:such|what) an? (?:fun|great|good|lovely|useful|brilliant|interesting|fascinating|timely) "
    r"(?:thread|question|discussion|topic|conversation)\b",
    r"^\s*(?:love|loving) (?:seeing|this|that|how)\b",
    r"\btakes me back\b",
    r"\blol\b",
    r"\blmao\b",
    r"\bhaha",
    r"^\s*ha\b",
    r"\btbh\b",
    r"\bsame\b",
    r"\bmood\b",
    r"[😂🤣🙃😅😄😊😆😁😉🌱❤🐈👀🙏💀🥲🤔]",
    r"\bjk\b",
    r"\bfollowing\b",
    r"^\s*\+1\b",
    r"\bthis!",
    r"^\s*(?:great|good|love|interesting|fascinating|excellent|important) (?:question|thread|idea|post|topic)\b",
    r"\b(?:bookmark(?:ing|ed)|saving this|watching this (?:thread|space)|subscribing|following this)\b",
    r"\b(?:me too|same here|seconding this|commenting for reach)\b",
    r"\b(?:this|the) (?:thread|replies)\b",
    r"\bmy (?:timeline|feed|for-?you page)\b",
    r"\bcame for\b.{0,40}\bstayed for\b",
    r"\bi (?:love|loved) it\b",
    r"\bi can feel it\b",
    r"^\s*(?:agreed|exactly|so true|yes+|yep|100%|seconded|this)(?:\s*[.!,]|\s*$)",
    r"\bthe real [\w-]+ (?:was|is|were) the friends\b",
    r"\bdoes (?:that|this) count\b",
    r"\bmy (?:cat|dog|toddler|kid)\b",
    r"\bcouldn'?t agree more\b",
    r"\bthanks? (?:you )?for (?:asking|this|sharing|posting)\b",
    r"\bcongrat",
    r"\bask me how i know\b",
    r"\bi will not be taking (?:any )?questions\b",
    r"\bsounds (?:so |really )?(?:fun|cool|amazing|awesome)\b",
    r"\bcan'?t wait to see\b",
    r"\bkeep us posted\b",
    r"\bso cool\b",
    # round 7: cheering and following ("Rooting for this project", "Subscribed.", "Loved your last episode")
    r"\brooting for\b|^\s*subscribed\b",
    r"\bloved (?:your|the|this) (?:last |latest )?(?:episode|talk|post|piece|book|thread|video)\b",
    # round 8: praise for the work ("Hats off to ...", "such important work")
    r"\bhats off\b|\bsuch (?:important|great|needed|valuable) work\b",
    # round 9: gladness that someone does it, pre-ordering, praise for a piece, a favourite, mock questions
    r"\bso glad (?:someone|somebody|you'?re|you are|to see)\b|\breally glad (?:you'?re|you are|someone)\b",
    r"\bpre-?order(?:ing|ed)?\b|\bexactly what i needed\b|\basking for a friend\b|\bin my day\b",
    r"\bmy (?:new )?favou?rite (?:newsletter|podcast|thread|account|blog|substack)\b",
    r"\byour (?:piece|article|post|talk|book|thread|newsletter|episode|podcast|series)\b.{0,60}\b(?:was|is) "
    r"(?:superb|brilliant|fantastic|excellent|wonderful|amazing)\b",
)

EXPERIENCE = CueMatcher(
    *union(lambda c: c.experience)
)  # first-hand practice: "we filter", "bei uns", "저희는"
FIGURE = re.compile(r"\d")  # a measured figure: a first-hand report with one is an answer, not small talk
_SOCIAL = CueMatcher(*union(lambda c: c.social))  # thanks, agreement, laughter in each language
_RESOURCE_NOUN = CueMatcher(*union(lambda c: c.resource_nouns))
_RESOURCE_STRONG = re.compile(
    r"https?://|\bwww\.|\b[\w-]+\.(?:com|org|net|io|ai|fm|edu|dev|xyz|ca|de|fr|jp|uk|ch)/\S|\barxiv\b|"
    r"(?<!the )\b[a-z][\w.-]*\.(?:com|org|net|io|edu|gov|int|eu|de|fr|es|it|nl|pl|se|br|pt|uk|jp|kr|"
    r"vn|id|in|tr|au|info)(?![\w@/-]|\.\w)|"  # a bare domain ("ina.fr"), not a name ("the x.net foundation")
    r"\b[a-z][\w-]*\.(?:org|com|gov|edu|ac|co|net)\.[a-z]{2}\b|"  # a country's second level ("rscn.org.jo")
    r"\([A-Z][^()]{1,80},\s*(?:19|20)\d\d[a-z]?\)|"  # a citation in brackets: "(Maskrey, LA RED, 1993)"
    r"\bdoi\b|\bet al\b|\(\s*(?:19|20)\d\d\s*\)|\b[A-Z][\w-]+ (?:&|and) [A-Z][\w-]+,? \(?(?:19|20)\d\d\b",
)
_QWORDS_START = CueMatcher(f"^(?:{'|'.join(union(lambda c: c.question_words))})\\b")
_QWORDS_ANY = CueMatcher(
    r"\b(?:what|how|why|who|which|where|when|whether|curious if|wondering)\b",
    *union(lambda c: c.question_any),
)


# yes/no and either/or questions without a question word ("Bedoel je X of Y?", "¿Cuántas ...?", "raw or derived?")
_QUESTION_SHAPE = re.compile(
    r"^\s*¿|[かの][？?]$|ですか|ますか|でしょうか|\b(?:or|o|ou|oder|of|ovvero|oppure|ou seja)\b[^?？]{1,60}[?？]\s*$"
    r"|^\s*(?:@\S+\s+){0,25}(?:(?:et|and|und|e|en|y|mais|but|aber|ma|maar|pero|mas)\s+)?(?:on|bedoel|heb|hebben|is|zijn|kun|kan|wil|weet|heeft|moet|ma|ed|e|allora|sono|è|vendete|"
    r"usate|avete|hai|sei|siete|quindi|você|vocês|tem|têm|é|são|vai|vão|estão|está|já|tu|vous|est-ce|y|entonces|"
    r"tienen|tenés|usáis|usan|hay|es|son|está|están|ist|sind|habt|hast|gibt|geht's|gehts|geht|seid|meinst|meinen|wollt|also)\b",
    re.IGNORECASE,
)


# "e.g." and "i.e." do not end a sentence ("Are you counting X, e.g. Y?" is one question)
_SENTENCE_END = re.compile(r"(?<=[.!?।])(?<!\be\.g\.)(?<!\bi\.e\.)\s+|(?<=[？。！؟])\s*|\n+")
# nor do a title's or an abbreviation's dots ("thanks to Prof. X for ...", "Smith et al. show")
_RESOURCE_SENTENCE_END = re.compile(
    r"(?<=[.!?])(?<!\bDr\.)(?<!\bProf\.)(?<!\bMr\.)(?<!\bMs\.)(?<!\bMrs\.)(?<!\bSt\.)(?<!\be\.g\.)(?<!\bi\.e\.)"
    r"(?<!\bal\.)\s+|\n+"
)
_RHETORICAL = re.compile(r"\b(?:will|would|might|always) ask\s*:|\bthe question is\b", re.IGNORECASE)
_ASKS = re.compile(r"[?？؟]\s*$")
_CLAUSE = re.compile(r"[—–:;,]|\s-\s")
# a title is capitalised or several words; a single quoted lower-case word is a scare quote ("open" datasets)
_RESOURCE_TITLE = re.compile(
    r"[\"“'‘«「『](?![a-z])[^\"”'’»」』]{3,}[\"”'’»」』]|[\"“'‘«][a-z][^\"”'’»\s]*\s[^\"”'’»]{2,}[\"”'’»]"
)
_LATIN_WORD = re.compile(r"[A-Za-z][\w-]*")
MAX_SENTENCES = 40  # a real reply has fewer; past this the rest only counts as words


def _is_question(text: str) -> tuple[bool, int]:
    """Whether the reply asks something back, and how many words are not part of questions."""
    sentences = _SENTENCE_END.split(text, maxsplit=MAX_SENTENCES)
    asked = False
    rest = 0
    for s in sentences:
        st = s.strip()
        if len(st) > 400:  # the unsplit remainder, or one enormous "sentence": count it, do not parse it
            rest += count_words(st)
            continue
        rhetorical = _RHETORICAL.search(st)
        if not rhetorical and _ASKS.search(st):
            clauses = _CLAUSE.split(st)
            if (
                any(_QWORDS_START.match(c.strip().lstrip("¿+1 ")) for c in clauses)
                or _QWORDS_ANY.search(st)
                or _QUESTION_SHAPE.search(st)
            ):
                asked = True
                continue
        rest += count_words(st)
    return asked, rest


_TITLE = re.compile(
    r"(?i:\b(?:read|watch|listen to|cite|check out|lies|lisez|leggi|lee)\s+)[\"“'‘«「『]\w"
    r"|[\"“'‘«][A-Z][^\"”'’»]{3,120}[\"”'’»],? (?:by|von|de|di|par) [A-Z]"
    # a sentence that opens by telling one to read or watch a named work: "Read Ostrom's ...", "Lisez « X »"
    # (a line start is `(?m:^)[ \t]*+`, not `\n\s*`: that rescans a flood of blank lines from each newline)
    r"|(?m:^)[ \t]*+(?i:reading|further reading|recommended reading|sources|references)\s*:\s*[A-Z]"  # round 9
    r"|(?:(?m:^)[ \t]*+|[.!?]\s++)(?i:read|watch|listen to|lisez|lis|leggete|leggi|lee|lies|läs|lees|leia|leiam)"
    r"\s+(?:[«“\"]\s?)?[A-Z]"
)


# round 8: a polite imperative to read, in scripts where a work's name has no capital to find it by ("... की रिपोर्टें
# पढ़िए", "اقرئي تقارير ...", "... 읽어 보세요", "chị tìm đọc ..."): with a resource noun in the sentence, a pointer
_READ_WORK = CueMatcher(
    r"पढ़िए|पढ़ें|पढ़ो|पढ़ना चाहिए",
    r"اقرأ|اقرئي|اقرؤوا|اقروا",
    r"읽어 ?(?:보세요|봐|보시길)|읽어보세요",
    r"読んでみて|読むといい|読むと良い",
    r"\btìm đọc\b",
    r"推荐看|推荐阅读|推荐读",  # round 9: "recommended reading" (zh), "worth consulting" (ko)
    r"참고하실 만한|참고할 만한",
)
_CONTRACTED = frozenset("what that it there here let who where how he she this everyone nobody".split())
_BOOK_TITLE = re.compile(r"『[^』]{2,80}』")  # Japanese marks titles of books and works with 『』


# a sentence that thanks or congratulates someone, or tells of meeting them, names a work or an event in passing
_NOT_POINTER = re.compile(
    r"^\s*(?:and |et |und |e |y )?(?:huge |big |many |special )?(?:thanks?|thank you|merci|bravo|danke|grazie|gracias|"
    r"obrigad[oa]|dziękuję|tack|congrats|congratulations|félicitations|glückwunsch)\b|\b(?:i|we) (?:first )?met\b"
    r"|\bj'ai rencontré\b|\bconocí a\b|\bho conosciuto\b",
    re.IGNORECASE,
)
# a sentence's first word is capitalised anyway; it names a thing only with a capital or digit inside it
_NAME_SHAPED = re.compile(r"[A-Z0-9]")


# a link one can follow (a citation without one, inside a first-hand report with figures, is part of an answer)
_LINK = re.compile(r"https?://|\bwww\.|\b[\w-]+\.(?:com|org|net|io|edu|gov|de|fr|uk|eu)\b")


def is_resource(body: str) -> bool:
    if _RESOURCE_STRONG.search(body) or _TITLE.search(body) or _BOOK_TITLE.search(body):
        # round 9: "our birds wintered in X, the pattern Smith et al. found" reports first-hand, citing in passing
        return _LINK.search(body) is not None or not (FIGURE.search(body) and EXPERIENCE.search(body))
    if FIGURE.search(body) and EXPERIENCE.search(body):
        return False  # a first-hand report with a measured figure is an answer, whatever work it cites
    for sentence in _RESOURCE_SENTENCE_END.split(body, maxsplit=MAX_SENTENCES)[:MAX_SENTENCES]:
        if not _RESOURCE_NOUN.search(sentence) or sentence.rstrip().endswith(("?", "？")):
            continue  # a question about archives is not a pointer to one
        if _NOT_POINTER.search(sentence):
            continue  # thanks for a mention in a newsletter, meeting someone at a conference: not a pointer
        if _RESOURCE_TITLE.search(sentence) or _READ_WORK.search(sentence):
            return True  # a quoted title, or "read the reports of ..."
        for i, m in enumerate(_LATIN_WORD.finditer(sentence)):
            t = m.group(0)
            owned = (
                sentence[m.end() : m.end() + 2] in ("'s", "’s") and t.lower() not in _CONTRACTED
            )  # "X's wiki"
            # the sentence's first word (not merely its first Latin one: "وكتاب Kellehear" names a work)
            first = i == 0 and not any(ch.isalpha() for ch in sentence[: m.start()])
            named = owned or (first and _NAME_SHAPED.search(t[1:]) is not None)  # "WFD keeps", "AHN4 is"
            if (first and not named) or not t[0].isupper() or t.lower() in GENERIC_CAPS:
                continue
            if _RESOURCE_NOUN.search(sentence[max(0, m.start() - 40) : m.end() + 40]):
                return True  # a named thing near the noun: "the Concordia tech report", "GECCO QD tutorial"
            if i > 60:
                break
    return False


def residual_intent(body: str, n_words: int) -> Intent:
    if _CRITIQUE.search(body) and n_words >= 3:
        return "critique"
    asked, rest = _is_question(body)
    if asked and rest < 20:
        return "question"
    if n_words >= 8 and FIGURE.search(body) and EXPERIENCE.search(body):
        return "answer" if not asked or rest >= 8 else "question"  # "we lost 20% before the van": a report
    if _SARCASM.search(body) or n_words < 8:
        return "social"
    if (_JOKEY.search(body) or _SOCIAL.search(body)) and n_words < 25:
        return "social"
    if asked:
        return "answer" if rest >= 30 else "question"

    return "answer" if n_words >= 12 else "social"
