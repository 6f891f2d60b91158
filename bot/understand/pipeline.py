"""Reply understanding: what a reply is for, who it points to, and how much it matters (pure, offline).

`understand()` labels one reply following the corpus guidelines (`../shared/corpus/README.md`):
one intent by precedence spam/abuse > referral > offer > resource > answer > critique > question > social,
the people/organisations the replier recommends contacting, whether the replier offers contact, a lead
priority and the language. Everything here is cheap rules over the text (plus name/bio as evidence):
no network, no models, well under 5 ms per reply. Reply text is attacker-controlled: it is cleaned
(ANSI, bidi controls, zero-width characters) and capped before any rule looks at it, and a reply that
tries to instruct the bot is spam whose handles are never filed.

The rules describe how things are said, never which corpus rows say them: people without a handle are found
by the shape of names (honorifics, particles, accents, CJK honorific suffixes, lists; `understand_names`),
organisations by suffixes, acronyms after contact verbs, "the X team", help desks and labs; intents by cue
phrases in English, German, French, Spanish, Italian, Dutch, Portuguese and Japanese. `bench/understand.py`
scores them on the labelled sets and says which figures are in-sample and which are held out.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from bot.models import Mention
from bot.safety.text import BIDI_CONTROLS
from bot.understand.names import COMMON_NOT_NAME, cjk_people, named_people
from bot.understand.names import alternatives as _alternatives

Intent = Literal["referral", "offer", "resource", "answer", "question", "social", "critique", "spam", "abuse"]
Priority = Literal["high", "medium", "low", "none"]

MAX_CHARS = 1600  # safety rules (spam, injection, payloads, abuse) read this much: head and tail of a reply
MAX_HANDLES = 25  # no real reply names more people than this; bounds the work on mention floods
VIEW_HEAD, VIEW_TAIL = 800, 200  # the other rules read the head and tail of a long reply (5 ms budget)


@dataclass(frozen=True)
class Referral:
    handle: str | None
    name: str | None
    platform: str | None
    kind: Literal["person", "org"]


@dataclass(frozen=True)
class Understanding:
    intent: Intent
    referrals: tuple[Referral, ...]
    offers_contact: bool
    lead_priority: Priority
    language: str | None


# ------------------------------------------------------------------------------------------- cleaning
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_BIDI_TABLE = dict.fromkeys(map(ord, BIDI_CONTROLS), None)
_ANSI = re.compile(r"\x1b(?:\[[0-9;?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
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
    h = _clean(raw).strip()
    h = _URL_PREFIX.sub("", h)
    h = h.split("?", 1)[0].split("/", 1)[0] if "/" in h or "?" in h else h
    h = h.lstrip("@").strip().lower()
    h = re.sub(r"['’]s$", "", h)
    return h.rstrip(".,;:!?)]}>'\"’”-…").strip()


# ------------------------------------------------------------------------------------------- word lists
class _Cues:
    """A case-insensitive list of cue patterns, searched fast.

    Python's `re` tries every alternative at every position. So the alternatives are compiled in up to three
    patterns: those starting at a word (`\\b` factored out, so they are only tried where a word starts), those
    anchored at the start of the text (`^`: a pattern that starts with `^` is only tried there, whereas inside
    a larger alternation it would be tried at every position), and the rest. Matching lower-cased text without
    IGNORECASE avoids case folding per character. Together 10-20x faster on long replies (the 5 ms budget)."""

    __slots__ = ("_parts",)

    def __init__(self, *parts: str) -> None:
        alts = [a for part in parts for a in _alternatives(part)]
        worded = [a[2:] for a in alts if a.startswith("\\b")]
        anchored = [a[1:] for a in alts if a.startswith("^")]
        other = [a for a in alts if not a.startswith(("\\b", "^"))]
        patterns = [f"\\b(?:{'|'.join(worded)})"] if worded else []
        patterns += [f"^(?:{'|'.join(anchored)})"] if anchored else []
        patterns += ["|".join(other)] if other else []
        self._parts = tuple(
            re.compile(p, re.IGNORECASE if re.search(r"(?<!\\)[A-Z]", p) else 0) for p in patterns
        )

    def search(self, text: str) -> bool:
        low = text.lower()
        return any(rx.search(low) is not None for rx in self._parts)

    def match(self, text: str) -> bool:
        low = text.lower()
        return any(rx.match(low) is not None for rx in self._parts)


def _rx(*parts: str) -> _Cues:
    return _Cues(*parts)


_BOT_HANDLES = frozenset(
    {
        "grok",
        "remindme_ofthis",
        "threadreaderapp",
        "unrollthread",
        "pikaso_me",
        "savevideo",
        "readwiseio",
        "perplexity_ai",
        "askperplexity",
        "gork",
        "thread_reader",
        "memdotai",
        "colorize_bot",
        "downloadrbot",
    }
)
_BOT_HANDLE_RX = re.compile(r"(?:^|[._-])bot(?:$|[._-])|bot$|^bot")
_BOT_PROFILE = _rx(
    r"\b(?:i'?m|i am|this is) an? (?:\w+ )?bot\b",
    r"\bautomated (?:account|replies)\b",
    r"\bbot account\b",
    r"🤖",
    r"\bbeep boop\b",
)

_INJECTION = _rx(
    r"\bdisregard (?:all |any |your )(?:\w+ )?(?:guidelines|instructions|rules|prompts?)\b",
    r"\bdisregard (?:the )?(?:guidelines|instructions|rules|prompts?) (?:above|given|provided)\b",
    r"\b(?:rate|score|rank|classify|label) (?:this|the|my) (?:reply|post|message|comment|tweet) as\b",
    r"^\s*(?:assistant|ai|bot|model|classifier)\s*[,:]\s*(?:ignore|disregard|rate|mark|classify|label|add|treat|forget)",
    r"^\s*(?:system|assistant|admin|developer)\s*:\s*(?:you|ignore|disregard|new|mark|classify|label|add|file)",
    r"\b(?:developer|god|jailbreak|dan) mode\b",
    r"\b(?:mark|flag|treat) (?:this|the) (?:user|account|reply|author|message) as\b",
    r"\bignore (?:all |any |the )?(?:previous|prior|above|earlier|your)\b.{0,20}"
    r"\b(?:instructions|prompts?|rules)",
    r"\bdisregard (?:all |any |the )?(?:previous|prior|above|your)\b",
    r"\bsystem prompt\b",
    r"\b(?:you are|act as) (?:now )?(?:an? )?(?:ai|assistant|language model|classifier|llm)\b",
    r"\bnew instructions\b",
    r"<\|?(?:im_start|system|endoftext)\|?>",
    r"\[/?(?:system|inst)\]",
    r"\b(?:classify|label|mark|tag) (?:this|the) (?:reply|message|tweet|post|comment)\b",
    r"\b(?:add|file|record|list|flag) @?[\w.-]+ (?:as|to) (?:a |the )?(?:high[- ]priority|lead|referral)",
    r"\bhigh[- ]priority lead\b",
    r"\bignoriere? (?:alle )?(?:vorherigen |bisherigen )?anweisungen\b",
    r"\bignore[sz]? (?:toutes )?les instructions\b",
    r"\bignora (?:todas )?las instrucciones\b",
    r"\bignora (?:tutte )?le istruzioni\b",
    r"(?:以前|前)の指示を無視",
)
_PAYLOAD = _rx(
    r"<\s*script\b",
    r"<\s*(?:img|svg|iframe|object|embed)\b[^>]*\bon\w+\s*=",
    r"\bjavascript:",
    r"^\s*[=+@-]\s*(?:hyperlink|cmd|importxml|importdata|webservice|image)\s*\(",
    r"=\s*(?:hyperlink|importxml|importdata|webservice)\s*\(",
    r"=\s*cmd\s*\|",
    r"\.(?:exe|scr|bat|cmd|msi|apk|vbs|jar|pif)\b(?![.\w])",
)
_SPAM_STRONG = _rx(
    r"\bapc (?:waived|free) for\b|\binvitation to (?:publish|submit) (?:in|to) (?:our|the international|a special)\b",
    r"\binternational journal of\b.{0,80}\b(?:apc|fee|waived|indexed)\b",
    r"\bwe deliver (?:in|within) \d+|\bprices? start(?:ing)? (?:at|from) [$€£]",
    r"\bloan offers?\b|\blegit (?:loan|investment|hacker|platform|recovery)\b",
    r"\b(?:bitcoin|crypto|forex|btc) investment platform\b",
    r"\bget \d[\d,.]*k? (?:real |active |genuine )?(?:followers|likes|subscribers|views)\b",
    r"\bselected to (?:receive|win|get)\b|\bfree iphone\b|\byou(?:'ve| have) won (?:a|an|our)\b",
    r"\btrading bot\b.{0,60}\b(?:dm|profit|returns?|%|telegram|whatsapp)\b",
    r"\bsugar (?:daddy|daddies|baby|babies|mommy)\b",
    r"\bhot singles\b",
    r"\b(?:published|publication|accepted|acceptance) (?:with)?in \d+ (?:days|hours|weeks)\b",
    r"\b(?:low|cheap|affordable|minimal) apc\b",
    r"\bindexed journals?\b.{0,60}\b(?:apc|fee|days|contact|whatsapp)\b",
    r"\bclaim (?:your )?(?:free )?.{0,20}\b(?:airdrop|giveaway|tokens?|rewards?|bonus)\b",
    r"\brecover(?:ed|y|ing)? (?:of )?(?:my |your |all )?(?:lost |stolen |scammed )?(?:crypto|funds|bitcoin|btc|"
    r"wallet|money|investment)\b.{0,80}\b(?:hacker|expert|specialist|telegram|whatsapp|contact)\b",
    r"\b(?:thesis|theses|essays?|papers?|dissertations?|assignments?|homework) (?:written|done) (?:for you|fast|cheap|"
    r"by (?:experts|professionals))|\bneed (?:a|an|your) (?:thesis|essay|paper|dissertation|assignment) written\b",
    r"\b100% original\b.{0,60}\b(?:cheap|price|whatsapp|writers|order)\b",
    r"\bpassive income\b.{0,60}\b(?:my page|my profile|link|dm|telegram|whatsapp|bio)\b",
    r"\b(?:our|my) agency (?:has )?helped \d+",
    r"\bdm (?:me |us )?(?:now )?for (?:promo|promotion|collab|paid|rates|details)\b",
    r"\bprocessing fee\b",
    r"\bbuy (?:real |cheap )?(?:followers|likes|retweets)\b",
    r"\b\d+k? (?:followers|listeners|subscribers|"
    r"views) in \d+ days\b",
    r"\bcheck (?:out )?my bio\b",
    r"\bfollow (?:me|us) for (?:daily|more|weekly|free)\b",
    r"^\s*(?:great|amazing|awesome|wow|so insightful|nice|love this|incredible|fantastic|brilliant)"
    r"(?: (?:post|thread|content|share|insight))?\s*[!🔥].{0,80}\b(?:follow me|check (?:out )?my (?:profile|page|"
    r"channel|bio)|link in (?:my )?bio|more reach|engagement)\b",
    r"\bselected for (?:our|the|an?) [\w ]{0,40}award\b",
    r"\bpresale\b",
    r"\blooking for (?:smart|nice|handsome|rich|lonely|kind) (?:guys|men|man|gentlemen|friends)\b",
    r"\b(?:paper|essay|thesis|dissertation|assignment) writing services?\b",
    r"\bplagiarism[- ]free\b",
    r"\b(?:phd|degree|diploma|doctorate)(?: degree)? in \d+ (?:months|weeks|days)\b",
    r"\bwithout (?:exams|coursework|attending)\b",
    r"\blike ?\+ ?(?:rt|retweet|repost)\b",
    r"\bfollow to win\b",
    r"\bto win \d+ ?(?:usdt|usd|btc|eth|\$)",
    r"\b(?:airdrop|giveaway)\b.{0,40}\b(?:wallet|claim)\b",
    r"\bstake \d",
    r"\bguaranteed (?:visa|income|returns?|profit|placement|acceptance|publication)\b",
    r"\b(?:visa|income|returns?|profit|placement|acceptance|publication) guaranteed\b",
    r"\bpublication fee\b",
    r"\bindexed in scopus\b",
    r"\bfast[- ]track (?:publication|review)\b",
    r"\bsubmit your (?:paper|manuscript|article)s? (?:to|for) (?:our|the) (?:journal|special issue)",
    r"\bfollow (?:for|4) follow\b",
    r"\bf4f\b",
    r"\bseguidores (?:reales|baratos)\b",
    r"\bfollower kaufen\b",
    r"\bacheter des abonnés\b",
    r"フォロワー(?:購入|を増や)",
    r"\bearn \$?\d+.{0,20}\b(?:a day|per day|daily|weekly)\b",
    r"\b\d+k? (?:real |réels |reales |echte |veri |reais )?(?:followers|abonnés|seguidores|follower|likes|views|vues)\b"
    r".{0,20}(?:\b(?:for|pour|por|für|per|voor)\s?[$€£]?\s?\d|[$€£]\s?\d|\d\s?[$€£])",
    r"\b(?:résultats|resultados|risultati|resultaten|ergebnisse|results) (?:garantis|garantizados|garantiti|"
    r"gegarandeerd|garantiert|garantidos|guaranteed)\b",
    r"\bcited \d+\+? times\b",
    r"\bour journal\b.{0,80}\b(?:indexed|(?:peer[- ])?review (?:in|within) \d+|apc|publication fee|fast[- ]track)",
    r"\b(?:trading|forex|crypto|stock) signals\b",
    r"\bi made \$[\d,.]+k? (?:last|this|in a|in one) (?:week|month|day)\b",
    r"\b(?:i )?(?:always )?follow(?:s)? back\b(?! up| on| with| to| in| later)",
    r"\bcitations? (?:guaranteed|in \d+ days)\b",
    r"\bdear (?:esteemed|respected|distinguished) (?:researcher|author|scholar|scientist|professor|colleague)",
    r"\bpublication (?:within|in) \d+ (?:hours|days)\b",
    r"\bapc (?:of |only |just )?[$€£]\s?\d",
    r"\bco-?authorship (?:slots?|positions?|for sale)\b",
    r"\bdeposit\b.{0,30}\b(?:usdt|usdc|btc|eth|bitcoin|crypto|wallet|gift cards?)\b",
    r"\b(?:usdt|usdc|btc|eth|bitcoin)\b.{0,30}\bdeposit\b",
    r"\b(?:send|pay) (?:me )?(?:a |the )?(?:fee|deposit)\b.{0,40}\b(?:and|then) (?:i|we)'?ll\b",
)
_SPAM_WEAK: tuple[_Cues, ...] = (  # categories: two different ones make spam
    _rx(
        r"\bdm (?:me|us|now)\b",
        r"👉",
        r"\bclick (?:the |my )?link\b",
        r"\blink in (?:my )?bio\b",
        r"\blimited (?:spots|offer|time)\b",
        r"\bact now\b",
        r"\bpromo\b",
        r"\bbook (?:now|today|a (?:free )?(?:demo|call) now)\b",
        r"\b(?:check|click|visit) (?:out )?my (?:profile|page|channel)\b",
        r"\bcontact (?:us |me )?now\b",
        r"\byou'?ve been selected\b",
        r"🚀",
        r"\b(?:message|dm|contact|text|join) (?:me|us) on (?:telegram|whatsapp)\b",
        r"\burgent\b",
        r"!!",
        r"→\s*\S+\.[a-z]{2,}",
        r"\bkindly (?:message|contact|text|dm|reach|write|whatsapp|inbox)\b",
        r"\b(?:whatsapp|telegram) (?:us|me)\b",
        r"\b(?:contact|message|text) (?:him|her|them) on (?:telegram|whatsapp|signal|instagram)\b",
        r"\bclaim (?:your|now)\b",
        r"\bcheck (?:out )?my (?:pinned|latest|last) (?:post|tweet|thread)\b",
        r"\bvisit (?:our|my) (?:website|site|store|shop)\b",
        r"\bcomment \"?(?:info|yes|me|interested|now)\b",
        r"\b(?:contact|message) (?:our|my) agent\b",
        r"\binbox me\b",
        r"\bwrite me\b",
    ),
    _rx(
        r"\bcrypto\b",
        r"\btoken\b",
        r"\$[A-Z]{2,6}\b",
        r"\bnft\b",
        r"\bpay (?:the |a |just )?[€$£]\d",
        r"\binvest(?:ment)? opportunity\b",
        r"\bfree (?:followers|money|crypto)\b",
        r"\bearn \$?\d",
        r"\b(?:work|money|income) from home\b|\bfrom home\b.{0,30}\$\d|\$\d[\d,.]*k?\s*/\s*(?:week|day|month)\b",
        r"\bpassive income\b",
        r"\bwhile you sleep\b",
        r"💰|💸|🤑",
        r"\bhackers?\b",
        r"\bairdrop\b",
        r"\bcheap (?:prices?|rates)\b",
        r"\bmake \$[\d,]+",
        r"\bno experience (?:needed|required)\b",
        r"\bproven system\b",
        r"\bdaily profits?\b|\bwithdraw (?:daily|anytime|instantly)\b",
        r"\blow interest\b",
    ),
    _rx(
        r"💋",
        r"😘",
        r"🔞",
        r"\b18\+",
        r"\bonly ?fans\b",
        r"\brelax after work\b",
        r"\bhot singles\b",
        r"^\s*(?:hi|hello|hey) dear\b",
        r"\byour profile (?:is|looks) (?:very |so |really )?(?:interesting|attractive|nice|lovely|beautiful)\b",
        r"\b(?:beautiful|lovely|nice|cute) profile\b",
        r"\blooking for (?:friendship|a friend|love|a serious relationship|a partner)\b",
        r"😍",
    ),
    _rx(
        r"\bguaranteed\b",
        r"\bwe can get you\b",
        r"\b(?:boost|grow)(?:ing)? your (?:\w+ )?(?:account|audience|podcast|channel|brand|reach|following)\b",
        r"\bfree (?:e-?book|guide|masterclass|webinar)\b",
        r"\b(?:seo|smm|social media marketing|digital marketing|content marketing) (?:agency|services?|experts?)\b",
        r"\baward-winning (?:agency|team|marketing)\b",
        r"\bgo viral\b",
        r"\bour agency\b",
        r"\b100% original\b",
        r"\b\d+k (?:followers|listeners|views|subscribers)\b",
        r"\bcall for papers\b",
        r"\bspecial issue\b",
        r"\btop \d+ ?%",
        r"\bno (?:upfront )?fee until\b",
        r"\btalent pool\b",
        r"\bwe help (?:creators|brands|researchers|authors|businesses|academics)\b",
        r"\b\d+x (?:engagement|reach|growth|followers)\b",
        r"\bmore reach\b",
        r"\bregistration fee\b",
        r"\baccredited\b",
        r"\bscopus[- ]indexed\b",
        r"\b(?:peer[- ])?review (?:in|within) \d+ (?:days|hours)\b",
        r"\baccepting submissions\b",
        r"\bfree trial\b",
        r"\b\d+ ?% off\b",
    ),
)
_SPAM_PROFILE = _rx(
    r"\bdm (?:me |us )?for (?:promo|promotion|collab)",
    r"\bwe grow\b",
    r"\b18\+",
    r"🔞",
    r"\$[A-Z]{2,6}\b",
    r"\bcrypto\b",
    r"\bvisa guaranteed\b",
    r"\bfollowers?\b.{0,20}\bcheap\b",
    r"\bpromo(?:tion)?s?\b",
    r"\blink (?:below|in bio)\b",
    r"\bgrowth hack",
    r"\bnft\b",
)

_ABUSE = _rx(
    r"\byou (?:academics|people|lot|researchers|scientists|founders|guys|professors) are all (?:useless|clueless|frauds|"
    r"grifters|parasites|idiots|hypocrites|beggars)\b",
    r"\bbegging (?:for free labou?r|strangers)\b",
    r"\bimagine (?:having|being|getting) (?:a|an) (?:phd|degree|doctorate|professor|academic)\b.{0,40}\band (?:still )?"
    r"(?:not|never) (?:knowing|being able|understanding)\b",
    r"\byour (?:whole |entire )(?:research|work|field|discipline|career|project|lab|thread|life)\b.{0,20}\b(?:is|are) "
    r"(?:\w+ )?(?:garbage|trash|worthless|useless|a joke|pathetic|rubbish|crap|bullshit|junk|a scam|a fraud)\b",
    r"\b(?:dämliche|bescheuerte|blöde|dumme) frage\b|\bpregunta (?:más )?(?:tonta|estúpida|idiota)\b",
    r"\byou(?:'re| are) (?:the reason|why) (?:people|everyone|nobody)\b",
    r"\b(?:people|everyone) (?:hate|hates|despise|despises) (?:academia|academics|you)\b",
    r"\bwaste of (?:everyone'?s|our|my|everybody'?s) time\b",
    r"(?:^|[.!]\s*)(?:idiot|moron|clown|loser|fraud|grifter)[.!]*\s*$",
    r"\b(?:stupid|dumb|idiotic|moronic|ridiculous|lazy|braindead) thing to (?:ask|say|post)\b",
    r"\bdo your own (?:homework|job|damn)\b",
    r"\byou (?:clearly |obviously )?have no (?:clue|idea)\b",
    r"(?:^|[.!]\s*)(?:embarrassing|pathetic|clueless|laughable)[.!]*\s*$",
    r"\bimagine (?:getting|being) paid to\b",
    r"\b(?:a|any) (?:first-?year|undergrad|child|toddler|five-year-old|high-?schooler|intern) (?:could|can|would) "
    r"(?:answer|do|tell|figure)\b",
    r"\byour (?:research|work|papers?|questions?|thread|posts?|lab|field|book|startup|company|ideas?|takes?|science) "
    r"(?:is|are) (?:\w+ )?(?:garbage|trash|worthless|useless|a joke|pathetic|rubbish|crap|bullshit|junk|a scam)\b",
    r"\band so are you\b",
    r"^\s*go away\b",
    r"\bnobody (?:here )?(?:wants|is going) to (?:help|hear from|read|talk to) (?:you|someone like you|people like you)\b",
    r"\buseless (?:people|academics?|researchers?|founders?)\b",
    r"\bnobody (?:respects|likes|trusts) (?:you|academics|researchers|scientists|founders)\b",
    r"\b(?:you(?:'re| are|r)|u r|ur) (?:a |an |such an? |just an? )?(?:\w+ )?(?:grifters?|idiots?|morons?|"
    r"clowns?|frauds?|losers?|hacks?|sellouts?|jokes?|imbeciles?|cretins?|stupid|pathetic|worthless|dumb|"
    r"parasites?|leeches|vultures|scum|trash|garbage|hypocrites?|liars?|charlatans?|fools?|incompetent|clueless|"
    r"useless|a disgrace|an embarrassment|embarrassing)\b",
    r"\b(?:you people|you lot|y'?all) (?:are|r)\b.{0,30}\b(?:delusional|deluded|insane|parasites?|leeches|vultures|scum|trash|clowns|"
    r"frauds|grifters|hypocrites|liars|idiots|morons|a joke|pathetic|useless|the problem)\b",
    r"\b(?:hand|give|leave) it to (?:an adult|the adults|a grown-?up)\b",
    r"\blet the adults\b",
    r"\b(?:sie sind|du bist|ihr seid) (?:doch |echt |einfach |so )?(?:ein |eine )?(?:witzfigur|witz|clown|"
    r"lachnummer|versager|versagerin|heuchler|schmarotzer|parasit)",
    r"\bwitzfigur\b",
    r"\b(?:vous êtes|t'es|tu es) (?:vraiment |juste |qu'une? |des |une? ){0,2}(?:clowns?|parasites?|nuls?|incompétents?|"
    r"guignols?|escrocs?|charlatans?)\b",
    r"\b(?:sois|son|eres) (?:unos |unas |un |una )?(?:payasos?|parásitos?|inútiles?|sinvergüenzas?|"
    r"vendehumos|fraudes?)\b",
    r"\b(?:siete|sei) (?:dei |degli |delle |un |una )?(?:pagliacci|pagliaccio|parassiti|incompetenti|"
    r"buffoni|buffone|ciarlatan[oi])\b",
    r"\b(?:jullie zijn|je bent|u bent) (?:echt |gewoon )?(?:een )?(?:parasieten|parasiet|clowns?|idioten|"
    r"idioot|sukkels?|oplichters?|lachertje|aanfluiting)\b",
    r"\b(?:vocês são|você é|és) (?:uns |umas |um |uma )?(?:parasitas?|palhaços?|idiotas?|otários?|"
    r"incompetentes?|charlatães|charlatão|vergonha)\b",
    r"無能",
    r"恥を知れ",
    r"\bwho (?:even )?asked\b",
    r"\byou(?:'ve)? (?:clearly |obviously )?(?:have )?never (?:run|done|read|written|published|worked)\b.{0,60}"
    r"\b(?:in your life|embarrassing|lol|clown|pathetic)\b",
    r"\btypical (?:academic|founder|professor|researcher|techbro|tech bro)\b.{0,40}\b(?:all talk|nobody|clueless|"
    r"useless|no results)\b",
    r"\bnobody reads your\b",
    r"\bare you (?:seriously|really|actually|this) (?:this )?(?:dumb|stupid|thick|dense|slow)\b",
    r"\bwaste of (?:a )?(?:phd|degree|funding|oxygen|space|tenure)\b",
    r"(?:^|[.!]\s*)pathetic[.!]*\s*$",
    r"\bshut (?:your|ur) (?:mouth|trap)\b",
    r"\b(?:let|leave it to) the grown-?ups\b",
    r"\b(?:everyone|everybody|all of you|you all) (?:in|on) (?:this|the) (?:thread|replies|comments) (?:is|are) "
    r"(?:an? )?(?:idiots?|morons?|clowns?|stupid|clueless)\b",
    r"\b(?:questions?|takes?|posts?) this (?:stupid|dumb|idiotic|braindead)\b",
    r"\b(?:another|yet another|typical) (?:clueless|out-of-touch|arrogant|useless|pretentious|self-important|"
    r"delusional) (?:academic|founder|researcher|professor|phd|techbro|tech bro|scientist|startup)",
    r"\bnobody (?:is going to|will|wants to|would) (?:talk to|listen to|read|hire|fund|help|work with) you\b",
    r"\bnobody needs another (?:[\w-]+ )?(?:founder|academic|guru|influencer|grifter|tech ?bro|techbro|hot take|"
    r"thread|self-promoter|consultant|playing|cosplaying)",
    r"\bstop wasting (?:\w+['’]? )?time\b",
    r"\bpeople who actually know what they'?re doing\b",
    r"\bhumblebrag",
    r"\bnobody (?:cares|asked)\b",
    r"\btouch grass\b",
    r"\bdelete your account\b",
    r"\bget (?:a real job|lost)\b",
    r"\bstay in your lane\b",
    r"\bcrawl back\b",
    r"\bbrain-?dead\b",
    r"\bdumbass\b",
    r"\bwhat an? (?:idiot|moron|clown|joke|loser|fraud|grifter)\b",
    r"\byou should be ashamed\b",
    r"\b(?:gilipollas|subnormal|imbécil|pendejo|estúpida?)\b",
    r"\b(?:stronzo|stronza|coglione|vaffanculo|deficiente)\b",
    r"\b(?:abruti|débile|crétin|crétine|dégage)\b",
    r"\b(?:arschloch|vollpfosten|verpiss dich|halt(?:'s| dein| das) maul)\b",
    r"\b(?:klootzak|rot op|sukkel|debiel)\b",
    r"\b(?:babaca|otário|vai se foder|cala a boca|imbecil)\b",
    r"\b(?:stupid|dumb|idiotic|moronic|braindead|brain-dead|dumbest|stupidest) (?:question|take|post|thread|idea)\b",
    r"\b(?:garbage|trash|clown|dogshit) takes?\b",
    r"🤡",
    r"\bshill(?:s|ing)?\b",
    r"\bnobody takes (?:you|this|u) seriously\b",
    r"\byou (?:clearly )?(?:have no idea|don'?t know what you'?re talking about)\b",
    r"\bgo back to (?:your|school|twitter|linkedin)\b",
    r"\b(?:you|this|u) (?:are|is|r) (?:so |just |truly )?(?:pathetic|disgusting|embarrassing)\b",
    r"\bimagine (?:being|thinking|not knowing|running|having)\b.{0,80}\b(?:lol|lmao|clown|adult|idiot|joke)\b",
    r"\b(?:eres|sos) (?:un |una )?(?:payas[oa]|vendehumos|chiste)\b",
    r"\bquel(?:le)? (?:guignol|clown|blague)\b",
    r"\b(?:was für ein|so ein) (?:clown|witz|schwachsinn)\b",
    r"\bche (?:pagliaccio|buffone|ridicolo)\b",
    r"\b(?:domanda|pergunta|pregunta|question|frage|vraag) (?:idiota|stupida|estúpida|débile|stupide|imbecille|"
    r"absurda|ridicola)\b",
    r"\b(?:dumme|blöde|domme|stomme|stupid|dumb|idiotic|débile) (?:frage|vraag|question)\b",
    r"黙れ",
    r"消えろ",
    r"キモい",
    r"\blosers\b",
    r"\bidiots\b(?! like (?:me|us))",
    r"\bmorons\b",
    r"\bgo cry\b",
    r"\blog off\b",
    r"\bshut up\b",
    r"\bstfu\b",
    r"\bnobody wants you\b",
    r"\bgood riddance\b",
    r"\bsellout\b",
    r"\bf+u+c*k+ (?:you|off)\b",
    r"\bkill yourself\b",
    r"\bkys\b",
    r"\bdu bist (?:ein |eine )?(?:idiot|vollidiot|depp|trottel)\b",
    r"\bvollidiot\b",
    r"\bhalt die klappe\b",
    r"\bconnard\b",
    r"\bconnasse\b",
    r"\bta gueule\b",
    r"\bt'es (?:un |une )?(?:con|conne|idiot|nul)\b",
    r"\beres (?:un |una )?(?:idiota|imbécil|estúpid[oa])\b",
    r"\bcállate\b",
    r"\bsei (?:un |una )?(?:idiota|cretino|imbecille)\b",
    r"\bstai zitto\b",
    r"バカ",
    r"アホ",
    r"死ね",
    r"\bgrifter\b.{0,40}\bgrifter\b",
)

_OFFER = _rx(
    r"\b(?:vous|te|t') mettre en (?:relation|contact)\b",
    r"\bcome along\b|\bjoin us\b|\bpop (?:in|by)\b|\bstop by\b",
    r"\b(?:could|can|happy to|glad to) meet\b|\bmeet (?:up )?for (?:a )?coffee\b",
    r"\bsend (?:me|over) (?:the|your) (?:draft|paper|data|file|questionnaire|proposal|protocol|slides)\b",
    r"\bi'?ll give you (?:feedback|comments|a hand|notes)\b",
    r"\b(?:want|like|need) (?:an? )?(?:intro|introduction|e-?mail intro)\b",
    r"\bi know (?:someone|somebody|a person|people|a few people) (?:at|in|who|from)\b",
    r"\bi (?:can|could) (?:\w+ )?(?:look at|have a look|take a look|proofread|skim)\b",
    r"我可以[^。！？]{0,12}(?:发给|發給|分享|介绍|介紹|帮|幫|联系|聯繫)",
    r"(?:如果|若)(?:你|您)?需要的话",
    r"可以(?:私信|联系|聯繫)我",
    r"\bse (?:ti|vi) serve,",
    r"\bposso (?:\w+ ){0,3}(?:metterti|mettervi|farti|farvi) ",
    r"\bkan ik (?:je|jullie|u) (?:\w+ ){0,4}(?:in contact brengen|helpen|sturen|voorstellen|doorverwijzen|geven)\b",
    r"\bwenn (?:du|sie|ihr) (?:magst|mögen|möchtest|möchten|willst|wollt),",
    r"\bkann ich (?:dich|dir|euch|sie|ihnen) (?:\w+ ){0,5}(?:in kontakt bringen|vorstellen|verbinden|schicken|helfen|"
    r"zeigen|weiterleiten)\b",
    r"\b(?:they'?re|it'?s|are|is) (?:all )?yours (?:if|to|for the asking)\b",
    r"\bcould (?:send|share|forward) (?:you|it|them|over|my|our)\b",
    r"\bwe have (?:a |an )?(?:spare|free|open|empty|extra) (?:seat|slot|spot|place|desk|bench|room|ticket)s?\b",
    r"\bif you want to (?:present|join|come|visit|use|borrow|try|sit in)\b",
    r"\b(?:happy|glad|delighted|keen|more than happy|willing|available) to (?:\w+ )?"
    r"(?:chat|talk|help|share|hop|"
    r"jump|do|walk|show|intro|introduce|connect|send|give|host|meet|review|discuss|answer|compare|set up|"
    r"put you|get you|point you|tell you|explain|call)\b",
    r"\bintroduce you to (?:my|our|a|an|someone|some)\b",
    r"\b(?:would|'d) (?:\w+ )?love to (?:chat|talk|introduce|compare|join|connect|have you|meet|hear|help|host|show|"
    r"share|collaborate|discuss|grab|get)\b",
    r"\bwould be (?:great|nice|fun|happy) to (?:grab|chat|meet|talk)",
    r"\bdms? (?:are |is )?(?:always )?open\b",
    r"\b(?:dm|message|email|e-mail|ping|contact|call) me\b",
    r"\bfeel free to (?:reach out|dm|message|email|ping|get in touch|drop by|contact)\b",
    r"\b(?:you're|you are) (?:\w+ )?welcome to (?:drop by|visit|join|come|stop by)\b",
    r"\bdrop by\b",
    r"\bi'?ll send you (?:a |an )?(?:message|dm|note|email|link)\b",
    r"\bsending you a (?:dm|message)\b",
    r"\bi (?:can|could) (?:\w+ )?(?:intro|introduce|connect|put you in touch|share|send|help)\b",
    r"\blet'?s (?:chat|talk|connect|grab|meet|hop)\b",
    r"\bhit me up\b",
    r"\breach out (?:to me|anytime)\b",
    r"\bget in touch\b",
    r"\bcome (?:visit|say hi|by)\b",
    r"\bmy door is open\b",
    r"\bhappy to\b",
    r"\bi have (?:room|space|capacity|time) for\b",
    r"\b(?:i )?could (?:maybe |probably |possibly )?(?:help|chip in|contribute|pitch in)\b",
    r"\bif you need (?:a |an |any |some )?(?:help|hand|reviewer|second|co-?author|collaborator|someone|"
    r"pair of eyes|feedback|beta ?testers?)\b",
    r"\bi'?m around\b",
    r"\b(?:yours|it'?s yours) if you want\b",
    r"\bwould you like me to\b",
    r"\bshall i (?:send|share|intro|introduce|connect|ask|forward)\b",
    r"\blet me know (?:and|if) i'?ll\b",
    r"\bcan send (?:you|it|them|over)\b",
    r"\bopen to (?:a chat|chatting|a call|talking|collaborat|helping)",
    r"\bwe'?d (?:love|welcome|be happy|be glad) to (?:have|host|help|hear|see)\b",
    r"\b(?:grab|get) (?:a )?(?:coffee|virtual coffee|quick call)\b",
    r"\bich stehe (?:gern(?:e)? )?zur verfügung\b",
    r"\b(?:kann|könnte) ich (?:ihnen|dir|euch)\b",
    r"\bich würde mich freuen\b",
    r"\bkommen? (?:sie |du )?gern(?:e)? vorbei\b",
    r"\bje serais (?:ravie?|heureuse?|contente?) de\b",
    r"\bje (?:te|vous) propose\b",
    r"\bje suis disponible\b",
    r"\bon peut en (?:parler|discuter)\b",
    r"\bn'hésite(?:z)? pas\b",
    r"\bestar[íi]a (?:encantad[oa]|feliz) de\b",
    r"\bpodemos (?:hablar|charlar|quedar|vernos)\b",
    r"\bestoy disponible\b",
    r"\bme ofrezco\b",
    r"\bsarei (?:felice|content[oa]|lieto|lieta) di\b",
    r"\bsono disponibile\b",
    r"\bpossiamo (?:sentirci|parlarne|vederci)\b",
    r"\bmi offro\b",
    r"\bik (?:help|deel|stuur|laat) (?:je |jullie |u )?(?:\w+ )?graag\b",
    r"\bik wil (?:je|jullie|u) (?:graag|best)\b",
    r"\blaat (?:het |maar )?(?:even )?weten\b",
    r"\bmail (?:me|mij) (?:gerust|maar)\b",
    r"\bwe kunnen (?:even |gerust )?(?:bellen|afspreken|praten)\b",
    r"\b(?:je bent|jullie zijn|u bent) (?:van harte |altijd )?welkom\b",
    r"\bik ben (?:graag )?bereid\b",
    r"\bik kan (?:je|jullie|u)\b",
    r"\bpodemos (?:conversar|falar|marcar)\b",
    r"\bestou disponível\b",
    r"\bme chama\b",
    r"\bmanda (?:uma )?mensagem\b",
    r"\b(?:teria|com) todo o gosto\b",
    r"(?:よろしければ|よければ)[^。！？]{0,20}(?:紹介|連絡|送|共有|お話|話し|相談|案内|手伝|メール|dm)",
    r"お声がけ",
    r"ご相談ください",
    r"協力(?:でき|します)",
    r"案内(?:でき|します)",
    r"お話(?:でき|しましょう|しませんか)",
    r"\bi'?ll (?:happily |gladly )?(?:send|forward|share|introduce|connect|dig up|dm|email|put you)\b",
    r"\bi (?:can|could) ask (?:my|our)\b",
    r"\byou(?:'re| are) (?:\w+ )?welcome to (?:use|borrow|present|attend|sit in)\b",
    r"\byou(?:'d| would) be (?:\w+ )?welcome to\b",
    r"\bcan (?:send|share) (?:it|them|this|that|my|our)\b",
    r"\bwe have (?:an opening|a slot|space|room) (?:for|in|at)\b",
    r"\bte (?:paso|mando|envío|presento)\b",
    r"\bje (?:t'|vous )envoie\b|\bje (?:te|vous) présente\b",
    r"\bti (?:mando|giro|presento)\b",
    r"\bich schick(?:e)? (?:dir|euch|ihnen)\b",
    r"\b(?:te|lhe) (?:mando|envio|apresento)\b",
    r"\bik stuur (?:je|jullie|u)\b",
    r"(?:お送り|送り|紹介)します",
    r"\b(?:i'?d be|i am|i'?m) (?:very |really )?interested in (?:collaborating|joining|helping|working|contributing)",
    r"\b(?:count me in|sign me up)\b",
    r"\bi'?d (?:be up for|join|happily)\b",
    r"\bi'?m (?:up for|in if)\b",
    r"\bwant me to (?:send|share|intro|introduce|connect|look)\b",
    r"\b(?:drop me a line|ping me|my email is|my inbox is open)\b",
    r"\bi (?:can|could) (?:\w+ )?(?:send|share) (?:you )?(?:my|our|the)\b",
    r"\bich (?:hätte|habe) interesse\b",
    r"\bich helfe gern",
    r"\bje suis partante?\b",
    r"\bça m'intéresse\b",
    r"\bje veux bien (?:aider|participer|partager)",
    r"\bme apunto\b",
    r"\bcuenta conmigo\b",
    r"\bci sto\b",
    r"\bik doe (?:graag )?mee\b",
    r"\bik heb (?:wel )?interesse\b",
    r"\btenho interesse\b",
    r"\bconte comigo\b",
    r"興味があります",
    r"参加したい",
    r"手伝え(?:ます|る)",
    r"\bif you(?:'re| are) up for it\b",
    r"\b(?:would|'d) (?:\w+ )?love to (?:swap|trade|exchange|review|pair|work|read|see)\b",
    r"\bi (?:can|could) (?:\w+ )?(?:do|run|give|review|look over|walk you|take|mentor|pair|offer|lend|host|read)\b",
    r"\bi'?m (?:happy|available|around|free|open|glad) (?:to|for)\b",
    r"\blet me know if you(?:'d)? (?:want|like|need)\b",
    r"\b(?:email|e-mail|mail|write to) me\b",
    r"\bich (?:könnte|kann|würde) (?:ihnen|dir|euch) (?:\w+ ){0,5}(?:schicken|senden|zeigen|erklären|helfen|"
    r"vorstellen|geben|weiterleiten)",
    r"\b(?:melden|schreiben) sie (?:sich|mir)\b",
    r"\bbei interesse\b",
    r"\bik kan (?:je|jullie|u) (?:\w+ ){0,5}(?:in contact brengen|helpen|sturen|laten zien|voorstellen|"
    r"doorverwijzen|geven)",
    r"\blaat ik (?:je|jullie|u)\b",
    r"\bals je wil(?:t)?,",
    r"\bstuur (?:me|mij) (?:gerust |even |maar ){0,2}(?:een )?(?:bericht|dm|mail|berichtje)",
    r"\b(?:je|jullie|u) (?:mag|mogen) (?:\w+ )?gebruiken\b|\bdie je mag gebruiken\b",
    r"\bfeel free to (?:use|borrow|reuse)\b",
    r"\byou can (?:use|have|borrow) (?:it|them|mine|ours|our)\b",
    r"\bneem gerust contact\b",
    r"\bposso (?:\w+ ){0,3}(?:fazer|mandar|enviar|ajudar|apresentar|mostrar|partilhar|compartilhar)",
    r"\b(?:me|mim) mand(?:ar|e|a) (?:uma )?mensagem\b",
    r"\bfico feliz em\b",
    r"\b(?:estou|fico) (?:à|a) disposição\b",
    r"\bpuedo (?:\w+ ){0,3}(?:pasarte|enviarte|mandarte|ayudarte|presentarte|mostrarte|hacer|compartir)",
    r"\bsi (?:quieres|te interesa),? te\b",
    r"\bje (?:peux|pourrais) (?:\w+ ){0,3}(?:partager|envoyer|montrer|aider|présenter|relire)",
    r"\bposso (?:\w+ ){0,3}(?:mandarti|inviarti|aiutarti|presentarti|mostrarti|condividere)",
    r"\bse (?:vuoi|ti interessa),",
    r"\bse (?:quiser|quiserem|preferir|você quiser),",
    r"\bsi (?:quieres|queréis|lo prefieres),",
    r"\bsi (?:tu veux|vous voulez|ça vous intéresse|ça t'intéresse),",
    r"\bwenn (?:du|sie|ihr) (?:willst|wollen|möchtest|möchten|wollt),",
    r"メール(?:ください|下さい|して)",
    r"ご連絡",
    r"お手伝い(?:でき|します)",
    r"(?:共有|お送り|ご紹介)(?:でき|します)",
    r"\bmelde? dich\b",
    r"\bschreib mir\b",
    r"\bgerne? (?:helfe|zeige|teile|unterhalte|vorstellen|stelle)",
    r"\bich kann (?:dich|euch) (?:gerne )?(?:vorstellen|verbinden|vernetzen)",
    r"\bn'hésitez? pas à me\b",
    r"\bécris-moi\b",
    r"\bécrivez-moi\b",
    r"\bcontacte[zs]?-moi\b",
    r"\bje (?:peux|pourrais) (?:te|vous) "
    r"(?:présenter|mettre en contact|aider|envoyer)",
    r"\bavec plaisir\b",
    r"\bvolontiers\b",
    r"\bescr[ií]beme\b",
    r"\bcontáctame\b",
    r"\bcon gusto\b",
    r"\bencantad[oa] de (?:ayudar|charlar|hablar)",
    r"\bte (?:puedo|podría) (?:presentar|ayudar|pasar)\b",
    r"\bmánda(?:me)? un (?:dm|mensaje)\b",
    r"\bscrivimi\b",
    r"\bcontattami\b",
    r"^\s*volentieri\b",
    r"\b(?:ti|vi|le) (?:\w+ )?volentieri\b",
    r"\bvolentieri (?:ti|vi)\b",
    r"\bfelice di (?:aiutar|parlar|condivider)",
    r"\bti (?:posso|potrei) (?:presentare|aiutare|mandare)\b",
    r"dmください",
    r"お気軽に",
    r"ご連絡ください",
    r"喜んで",
    r"紹介(?:でき|します|しましょう)",
    r"お話し(?:しましょう|できれば)",
    r"連絡(?:して|ください)",
)
_OFFER_HEDGE = _rx(
    r"\b(?:swap|trade|exchange) (?:notes|drafts|ideas|war stories|tips)\b",
    r"\bsame boat\b",
    r"\bnot sure i (?:have|'ve got) (?:the )?(?:time|bandwidth|capacity)\b",
    r"\bif it happens\b",
    r"\bnot sure (?:about )?(?:my time|i have (?:the )?time|if i have|i can commit)\b",
    r"\b(?:could|can) maybe\b",
    r"\bif there'?s (?:room|space)\b",
    r"\bif (?:it'?s|that'?s) (?:ok|okay)\b",
)

_CRITIQUE = _rx(
    r"\bi see (?:it|this|that|things) (?:differently|otherwise)\b|\bich sehe (?:das|es) anders\b|"
    r"\bje vois (?:les choses|ça|cela) autrement\b|\blo veo (?:distinto|diferente|de otra manera)\b|"
    r"\bla vedo (?:diversamente|in modo diverso)\b|\bik zie (?:dat|het) anders\b|\bvejo (?:de outra forma|diferente)\b",
    r"\bthe (?:problem|issue|bottleneck) (?:isn'?t|is not) (?:the )?[\w-]+,? (?:but|it'?s)\b|\bdas problem ist nicht\b|"
    r"\ble problème n'est pas\b|\bel problema no es\b|\bil problema non è\b|\bhet probleem is niet\b|"
    r"\bo problema não é\b",
    r"\b(?:dumb|bad|terrible|awful|flawed|poor|weak|misleading) (?:metric|measure|proxy|benchmark|indicator)\b",
    r"\b(?:question|premise|framing|scope) (?:itself )?(?:is|seems|feels) (?:a bit |way |far |much )?too (?:broad|vague|"
    r"narrow|general|simple|simplistic)\b",
    r"\b(?:won'?t|will not|doesn'?t|does not|can'?t|cannot) (?:fix|solve) (?:that|this|it|the problem)\b",
    r"前提(?:に|には|が|は)[^。]{0,10}(?:疑問|問題|無理)",
    r"疑問があ",
    r"前提(?:有问题|有問題|是错|是錯)|我不同意|不太同意",
    r"\bi'?m (?:\w+ )?(?:wary|cautious|worried) (?:of|about)\b",
    r"\bnot to be that (?:person|guy|gal|pedant)\b",
    r"\bsolution (?:looking for|in search of) a problem\b",
    r"\bpart of the problem\b",
    r"\b(?:isn'?t|is not|wouldn'?t) the (?:bigger|real|main|actual) (?:issue|problem|question|risk)\b",
    r"\b(?:not sure|pas sûre?|pas certaine?|no estoy segur[oa]|non sono sicur[oa]|nicht sicher|niet zeker|"
    r"não tenho certeza|não sei se)\b.{0,30}\b(?:right|bonne|correcta|adecuada|giusta|richtige|juiste|certa|correta) "
    r"(?:question|pregunta|domanda|frage|vraag|pergunta)\b",
    r"\b(?:le vrai problème|el (?:verdadero )?problema (?:real|de fondo)|el verdadero problema|il (?:vero )?problema "
    r"vero|das eigentliche problem|het echte probleem|o verdadeiro problema|o problema real)\b",
    r"\bfalsch gestellt\b",
    r"\bfalse (?:dichotomy|binary|choice|equivalence)\b",
    r"\b(?:big|huge|strong|massive) assumption\b",
    r"\bi don'?t think (?:that'?s|this is|it'?s|that is) (?:the right|a fair|a good|a useful|a valid|right|fair|true|"
    r"accurate|the case)\b",
    r"\bthe (?:bigger|real|main|actual) (?:risk|danger|problem|issue|worry) (?:here )?is\b",
    r"\b[\w]+-centric (?:framing|view|take|question|premise|assumption)\b",
    r"\bi'?d be (?:very |quite )?(?:skeptical|sceptical)\b",
    r"\bthe question (?:itself )?(?:is|seems|feels) (?:a bit |slightly |somewhat |kind of )?(?:off|wrong|misguided|"
    r"misframed|backwards|loaded|confused)\b",
    r"\bi'?d push (?:on|back on) (?:this|that|the)\b",
    r"^\s*the (?:problem|issue|trouble) (?:here )?is that\b",
    r"\b(?:that|this|it) (?:won'?t|doesn'?t|can'?t|will not|does not|cannot) (?:work|scale|hold up|generali[sz]e)\b",
    r"\bwrong way (?:round|around)\b|\bputting the cart before the horse\b",
    r"^\s*sorry,? but\b",
    r"\b(?:wouldn'?t|doesn'?t|won'?t) (?:that|this|it) just (?:measure|capture|reflect|select|reward)\b",
    r"\b(?:biased|skewed|self-selected) (?:sample|data|dataset)\b|\b(?:selection|sampling) bias\b",
    r"\bi'?m not (?:so )?sure (?:this|that|it)(?: is|'s) the (?:right|real|correct|best) (?:question|approach|way|framing)\b",
    r"\bmake(?:s)? (?:the problem|things|it) worse\b",
    r"\bpush ?back\b",
    r"\bcounter-?argument\b",
    r"\bcounter-point\b",
    r"\bcounterpoint\b",
    r"\bi (?:strongly )?disagree\b",
    r"\bdisagree with\b",
    r"^\s*careful\b",
    r"\bgenuine concern\b",
    r"\bunderrates?\b",
    r"\boverrates?\b",
    r"\bwrong "
    r"(?:design|question|framing|approach|frame)\b",
    r"\bthe (?:framing|premise)\b",
    r"\bdoesn'?t hold\b",
    r"\bnot convinced\b",
    r"\bi'?m (?:\w+ )?(?:skeptical|sceptical)\b",
    r"\bi'?d (?:challenge|question) the\b",
    r"\bmisleading\b",
    r"\bconflat",
    r"\bthink hard about whether\b",
    r"\bis a myth\b",
    r"\b(?:a |is a )dead end\b",
    r"\b(?:is|are) (?:a )?(?:red herring|non-?starter)\b",
    r"\bbarking up the wrong tree\b",
    r"\bthe wrong (?:question|way to (?:think|look))\b",
    r"\bno se sostiene\b|\bno estoy de acuerdo\b|\bnon sono d'accordo\b|\bsackgasse\b|\bimpasse\b",
    r"\bi'?d argue\b",
    r"\bje ne suis pas d'accord\b",
    r"\bpas convaincue?\b",
    r"\bich bin skeptisch\b",
    r"\bwiderspreche\b",
    r"\beinwand\b",
    r"\bno estoy de acuerdo\b",
    r"\bno me convence\b",
    r"\bnon sono d'accordo\b",
    r"\bnon mi convince\b",
    r"^\s*(?:polite|gentle|friendly|respectful) (?:note|pushback|caveat|correction|objection|disagreement)\b",
    r"^\s*respectfully\b",
    r"\bwith (?:all due )?respect\b",
    r"\bi'?d caution\b",
    r"\b(?:may|might|will|would) not tell you (?:much|anything)\b",
    r"\bwon'?t tell you (?:much|anything)\b",
    r"\bis the second question\b",
    r"\bthe (?:real|first|bigger|actual) (?:question|issue|problem) is\b",
    r"\byou(?:'re| are) (?:asking|solving|optimi[sz]ing) the wrong\b",
    r"\bnot the (?:right|real) (?:question|problem|bottleneck)\b",
    r"\bi don'?t (?:buy|think that'?s right)\b",
    r"\boverstat(?:es|ed|ing)\b",
    r"\bno creo que\b",
    r"\bje doute\b",
    r"\bich glaube nicht,? dass\b",
    r"\bnon credo che\b",
    r"\bnon sono (?:del tutto )?convint[oa]\b",
    r"\bno estoy (?:del todo )?convencid[oa]\b",
    r"\bnicht (?:ganz )?überzeugt\b",
    r"\bniet (?:helemaal )?overtuigd\b",
    r"\bnão estou (?:totalmente )?convencid[oa]\b",
    r"\bik betwijfel\b",
    r"\bik denk niet dat\b",
    r"\bnão (?:acho|creio) que\b",
    r"\b(?:hard|strongly|respectfully) disagree\b",
    r"\bnot sure i agree\b",
    r"\bmiss(?:es|ing) the point\b",
    r"\bthat'?s not (?:true|how|what|really)\b",
    r"\bthis is (?:just )?wrong\b",
    r"\b(?:is|are|seems|sounds) (?:deeply |fundamentally |badly )?flawed\b",
    r"\bsurvivorship bias\b",
    r"\bcherry-?pick",
    r"\bbegs the question\b",
    r"\bdevil'?s advocate\b",
    r"\bi'?d (?:be careful|question whether|caution against)\b",
    r"\bbe careful (?:with|about)\b",
    r"\b(?:isn'?t|aren'?t) (?:really|actually) (?:the|a|about)\b",
    r"\bdiscrepo\b",
    r"\bme parece un error\b",
    r"\bc'est faux\b",
    r"\bpas si simple\b",
    r"\bstimmt (?:so )?nicht\b",
    r"\bhalte ich für (?:falsch|überschätzt|fragwürdig)",
    r"\bnon è così\b",
    r"\bklopt (?:niet|gewoon niet)\b",
    r"\bik ben het (?:er )?niet (?:mee )?eens\b",
    r"\bnão concordo\b",
    r"\bdiscordo\b",
    r"それは違う",
    r"疑問です",
    r"^\s*(?:polite|gentle|friendly|honest|respectful|unpopular|contrarian|mild|slightly contrarian)"
    r"(?: but (?:honest|firm|direct))? (?:note|take|pushback|caveat|opinion|view|correction|warning)s?\s*[:—–-]",
    r"^\s*(?:polite|gentle|respectful|friendly|kind) but (?:honest|firm|direct|blunt)\b",
    r"\bcon todo (?:el )?respeto\b",
    r"\bavec tout le respect\b",
    r"\bbei allem respekt\b",
    r"\bcon tutto il rispetto\b",
    r"\bmet alle respect\b",
    r"\bcom todo o respeito\b",
    r"\bi'?d (?:\w+ )?(?:question|challenge) (?:whether|the|that|if)\b",
    r"\bmaybe the (?:real )?problem (?:isn'?t|is not)\b",
    r"\b(?:this|that|it) assumes\b",
    r"\b(?:this|that|it) (?:seems to |appears to )?assumes?\b",
    r"\b(?:a |the )?well-posed question\b",
    r"\b(?:analogy|comparison|argument|framing|metaphor|logic|reasoning|premise) (?:\w+ )?breaks down\b",
    r"\bbreaks down (?:quickly|fast|immediately|completely)\b",
    r"\bcategory (?:error|mistake)\b",
    r"\bi'?d be (?:cautious|careful|wary|hesitant)\b",
    r"^\s*(?:mild|minor|slight|small|one|strong|quick) (?:objection|quibble|disagreement|nitpick)\b",
    r"\byou(?:'re| are) (?:under|over)(?:estimating|rating|selling|stating)\b",
    r"\bisn'?t (?:this|that|it) just\b",
    r"\bwith extra steps\b",
    r"\b(?:doesn'?t|don'?t|won'?t) replicate\b",
    r"\bignores? (?:that|the fact)\b",
    r"\b(?:this|your) (?:framing|premise)\b",
    r"\bpremis\w*.{0,30}\b(?:falsa|errónea|fausse|erronée|falsch|fragwürdig|onjuist|verkeerd|sbagliata|errata|"
    r"errada|wrong|flawed|shaky)\b",
    r"\bprämisse.{0,30}\b(?:falsch|fragwürdig)\b|\bprémisse.{0,30}\b(?:fausse|erronée|bancale)\b",
    r"\b(?:cuestiono|contesto|questiono|bezweifle|betwijfel|conteste|questiono) (?:la |a |die |de )?pr[eéä]mis",
    r"\b(?:pregunta (?:equivocada|mal planteada)|question mal posée|mauvaise question|falsche frage|"
    r"verkeerde vraag|pergunta errada|domanda sbagliata|mal posée?)\b",
    r"\b(?:greift zu kurz|verwechselt|verwar(?:t|ren)|confunde|confond(?:re|ez)?|confundir|confondere)\b",
    r"\b(?:está|está totalmente) errad[ao]\b",
    r"^\s*(?:eso|esto) no es\b|^\s*(?:ce n'est pas|das ist kein|dat is geen|isso não é|questo non è)\b",
    r"\bhard to see (?:how|why|what)\b",
    r"\bwithout (?:a|any) (?:control|baseline|null model)\b",
    r"\b(?:this|that|it)(?:'s| is) (?:just )?noise\b",
    r"\b(?:strong|bold|big) claim\b",
    r"\bthe (?:problem|trouble) with (?:this|that|the (?:premise|framing|idea|question))\b",
    r"\bi'?m not (?:so )?sure (?:that'?s|this is|that is|it'?s) (?:right|true|the case|a good)\b",
    r"\b(?:one|big|major|important) caveat\b",
    r"\bi(?:'d| would) (?:be wary|question)\b",
    r"\bunconvinced\b",
    r"\bi worry (?:that|this|about)\b",
    r"\bmy (?:worry|concern) (?:is|here)\b",
    r"^\s*(?:hmm+|nah|meh|eh|not really)\b",
    r"^\s*(?:actually|well,? actually),",
    r"反論",
    r"異論",
    r"違和感",
)
_SARCASM = _rx(
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
_JOKEY = _rx(
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
)

_RESOURCE_NOUN = _rx(
    r"\b(?:paper|papers|book|books|tutorial|dataset|datasets|data set|repo|repository|github|podcast|video|"
    r"slides|proceedings|report|preprint|survey|review article|blog|textbook|corpus|course|lecture|talk|"
    r"reading list|newsletter|thesis|chapter|handbook|library|zotero|toolkit|package|framework docs|"
    r"bulk data|archive|wiki|documentation|website|site|workshop|conference|summer school|job board|database|"
    r"catalog|catalogue|portal|atlas|registry)\b",
    r"\b(?:article|livre|billet|papier|buch|artikel|aufsatz|libro|artículo|articolo|saggio|diapositivas)\b",
    r"論文",
    r"スライド",
    r"記事",
    r"データセット",
    r"書籍",
    r"本を",
)
_RESOURCE_STRONG = re.compile(
    r"https?://|\bwww\.|\b[\w-]+\.(?:com|org|net|io|ai|fm|edu|dev|xyz|ca|de|fr|jp|uk|ch)/\S|\barxiv\b|"
    r"\bdoi\b|\bet al\b|\(\s*(?:19|20)\d\d\s*\)|\b[A-Z][\w-]+ (?:&|and) [A-Z][\w-]+,? \(?(?:19|20)\d\d\b",
)
_GENERIC_CAPS = frozenset(
    "i llm llms ai ml nlp phd qd rl abm abms also the a an this that these it my our we you they he she "
    "and or but so if for in on at of to yes no not ok hi hey january february march april may june july "
    "august september october november december monday tuesday wednesday thursday friday saturday "
    "sunday".split()
)

_QWORDS_START = _rx(
    r"^(?:what|how|why|who|whom|which|where|when|whether|do|does|did|is|are|was|were|can|could|would|will|"
    r"should|have|has|had|any|anyone|anybody|isn't|aren't|don't|doesn't|wouldn't|shouldn't|"
    r"was|wie|warum|wer|welche[rsn]?|gibt es|hast du|habt ihr|kannst du|kennt|qu'|que|quel|quelle|comment|"
    r"pourquoi|qui|est-ce|as-tu|avez-vous|qué|cómo|por qué|quién|cuál|hay|tienes|che|come|perché|chi|quale|"
    r"hai|avete|c'è|quanto|quanti|quanta|quante|dove|quando|cosa|cuánto|cuántos|cuántas|cuándo|dónde|quantos|"
    r"quantas|onde|qual|quais|quem|como|hoeveel|wat|hoe|waarom|wie|welke|waar|wanneer|wieviel|wie viele|wo|wann|"
    r"was|wozu|weshalb|combien|où|quand)\b"
)
_QWORDS_ANY = _rx(r"\b(?:what|how|why|who|which|where|when|whether|curious if|wondering)\b")

# People and organisations ------------------------------------------------------------------------------
_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽ"
_LO = "a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĵķĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżž"
_NAME_TOKEN = rf"[{_UP}][{_LO}]+(?:[-'’][{_UP}][{_LO}]+)?"
_NAME_RUN = re.compile(rf"(?<![\w@./-])(?:{_NAME_TOKEN})(?: {_NAME_TOKEN}){{0,2}}(?![\w@-])")
_NOT_NAME = COMMON_NOT_NAME
_CONTACT_BEFORE = re.compile(
    r"(?i:\b(?:talk|speak|chat)(?:ing)? (?:to|with)|\bask(?:ing)?|\bping(?:ing)?|\bcontact(?:ing)?|"
    r"\bmessag(?:e|ing)|\be-?mail(?:ing)?|\bwrit(?:e|ing)(?: \w+ly)? to|\breach(?:ing)? out to|\blook up|"
    r"\bget in touch with|\bmeet|\bintroduce you to|\bconnect you (?:with|to)|\bcheck out|"
    r"\bfollow|\brecommend|\bcc|\bmy (?:\w+ )?(?:colleague|friend|advisor|adviser|supervisor|pi|mentor|"
    r"student|postdoc|coauthor|co-author|labmate|collaborator|boss)|\bconfirme pour|\bparle[zr]? (?:à|avec)|"
    r"\bcontacte[zr]?|\bécri(?:s|vez|re) à|\bdemande[zr]? à|\bmon (?:collègue|ami|directeur)|"
    r"\bma (?:collègue|amie|directrice)|\bsprich (?:(?:mal|doch|einfach) )*mit|\bfrag(?:e|t)?(?: (?:mal|doch|einfach))*|\bschreib(?:e|t)?(?: (?:mal|doch|einfach))*|\bkontaktier\w*|"
    r"\bwende dich an|\bmeine? (?:kollegin|kollege|freundin|freund|betreuerin|betreuer)|\bhabla con|"
    r"\bpregunta(?:le)? a|\bescr[ií]be(?:le)? a|\bcontacta (?:a|con)|\bmi (?:colega|amig[oa]|director[a]?)|"
    r"\bparla(?:re)? con|\bchied(?:i|ere) a|\bscriv(?:i|ere) a|\bcontatta(?:re)?|\bsenti(?:re)?|"
    r"\b(?:il mio|la mia) (?:collega|amic[oa]))"
    r"(?:,)? (?:(?:Dr|Prof|Professor)\.? )?$"
)
_ENDORSE_AFTER_NAME = re.compile(
    r"^(?:,)?\s+(?:is (?:great|the best|brilliant|amazing|excellent|fantastic|perfect|your (?:person|best)|"
    r"the (?:person|one|expert|right)|an expert|really good|working on|doing|hiring)|has (?:the|real|great|"
    r"some|done|been)|have the|knows|works on|did|ran|runs|leads|built|wrote|'s great|is who)\b",
    re.IGNORECASE,
)
_PREDICATE_START = re.compile(  # one shared prefix: each `^[\s...]*` alternative would rescan a blank flood
    r"^[\s,:;—–-]*+(?:(?:is|are|was|has|have|did|does|'s|"
    r"hat|ist|est|fait|es|tiene|è|ha)\b(?! (?:this|that|it|there|anyone|anybody)\b)"
    r"|(?:would (?:be|know)|might know|can help|could help|should (?:know|be))\b"
    r"|(?:knows|works|runs|leads|built|wrote|ran|maintains|curates|teaches|studies|arbeitet|forscht|"
    r"travaille|trabaja|lavora)\b|(?:さん|先生|氏|くん|ちゃん))",
    re.IGNORECASE,
)
_PRONOUN_CONTACT = re.compile(
    r"\b(?:talk to|ask|ping|contact|follow|check out|reach out to|message|dm|email|e-mail|write to) "
    r"(?:them|both|these|those|him|her)\b",
    re.IGNORECASE,
)
_NEGATIVE_BEFORE = re.compile(
    r"(?:\bskip|\bavoid|\bignore|\bdon'?t (?:follow|listen to|bother with|trust)|\bnot|\bunlike|\bexcept|"
    r"\bblock|\bmute|\bsteer clear of|\bévite[rz]?|\bevita|\bvermeide|\bignoriere)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
_ATTRIBUTION_BEFORE = re.compile(r"\b(?:as|like|per|what|agree with)\s+$", re.IGNORECASE)
_ATTRIBUTION_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:said|says|mentioned|noted|wrote|pointed out|suggested)\b", re.IGNORECASE
)
_ENDORSE_PRONOUN = re.compile(
    r"\b(?:he|she|they)(?:'s| is| are|'re) (?:the (?:person|one|expert)|your (?:person|best bet))|"
    r"\b(?:ask|dm|ping|email|message|contact) (?:him|her|them)\b",
    re.IGNORECASE,
)
_JOKE_AFTER = re.compile(r"^[\s,:]*(?:lol|lmao|haha\w*|same|ikr|exactly|😂|🤣|💀)", re.IGNORECASE)
_HANDLE_TEXT = re.compile(
    r"(?<![\w.@/])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?)"
    r"|(?:https?://)?(?:www\.)?(?:bsky\.app/profile/|(?:x|twitter)\.com/)([A-Za-z0-9_.-]+)"
    r"|(?<![\w.@/-])([a-z0-9][a-z0-9-]{0,62}\.bsky\.social)(?![\w-]|\.\w)",  # a Bluesky handle written bare
)
_X_HANDLE = re.compile(r"^[a-z0-9_]{1,15}$")
_BSKY_HANDLE = re.compile(r"^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$")
_X_PATHS = frozenset({"home", "search", "i", "intent", "share", "hashtag", "explore", "settings", "messages"})

_ORG_SUFFIX = (
    r"Institute|Institut|Foundation|Fondation|Stiftung|Fundación|Fondazione|Society|Fund|Trust|"
    r"Council|Association|Academy|Initiative|Collective|Centre|Center|Lab|Labs|Laboratory|"
    r"Network|Alliance|Consortium|Sciences|Philanthropy|Ventures|Museum|Archive|Archives|Library|Agency|"
    r"Observatory|Commission"
)
_ORG = re.compile(
    rf"(?<![\w-])(?:[{_UP}][\w&'.-]*\s+){{1,4}}(?:{_ORG_SUFFIX})\b(?:\s+(?:of|for)(?:\s+(?:and\s+|&\s+)?[{_UP}][\w-]*){{1,5}})?"
    rf"|(?<![\w-])[{_UP}][\w]+-(?:Institut|Institute|Stiftung|Zentrum)\b"
    rf"|(?<![\w-])(?:Institut|Institute|Fondation|Stiftung|Fundación)\s+(?:(?:de|des|du|für|of|for)\s+)?"
    rf"[{_UP}][\w-]+"
)
_KNOWN_ORGS: dict[str, str] = {
    "sakana": "Sakana AI",
    "deepmind": "Google DeepMind",
    "openai": "OpenAI",
    "anthropic": "Anthropic",
    "mila": "Mila",
    "ellis": "ELLIS",
    "astera": "Astera Institute",
    "emergent ventures": "Emergent Ventures",
    "open philanthropy": "Open Philanthropy",
    "schmidt sciences": "Schmidt Sciences",
    "santa fe": "Santa Fe Institute",
    "wellcome": "Wellcome Trust",
    "templeton": "John Templeton Foundation",
    "eleutherai": "EleutherAI",
    "hugging face": "Hugging Face",
    "cohere": "Cohere",
    "ai2": "Allen Institute for AI",
}
_KNOWN_ORG_RX = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(k) for k in _KNOWN_ORGS) + r")(?![\w-])", re.IGNORECASE
)
_AFFILIATION_BEFORE = re.compile(
    r"(?:\b(?:at|from|of|with|in|am|an|bei|vom|im|à|au|aux|de|del|della|dell'|di|en|presso|chez|ex|"
    r"former|formerly|left|joined|leaving|inside|within|for)\s+(?:the\s+|der\s+|dem\s+|la\s+|le\s+)?|"
    r"\bl['’]|\bex-|['’]s\s+)$",
    re.IGNORECASE,
)
_HANDLE_AFTER_NAME = re.compile(
    r"\s{0,3}[(,–—-]?\s{0,3}@?((?:[\w-]{1,63}\.){1,6}[a-z]{2,24}|(?<=@)\w{1,15})\b"
)
# an organisation named as the source of a thing, not as someone to contact: "the X summer school", "X's
# dataset", "X and Y have both published on this"
_ORG_CITED_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:[\w-]+\s+)?(?:summer school|dataset|data set|data|paper|papers|report|blog|blog post|"
    r"conference|workshop|proceedings|survey|guidance|handbook|index|website|course|benchmark|model|models|"
    r"catalogue|catalog|collection|database|portal|repository|records|logs|journal|podcast|newsletter|episode|"
    r"wiki|api|web ?site|page)\b(?!\s+(?:team|staff|desk|people|folks|office))"
    r"|\s+(?:has|have|publishes|provides|offers|hosts) (?:open |free |public |all (?:the|its) )?(?:data|datasets|"
    r"records|reanalys[ie]s|time series)\b"
    r"|\s+(?:has|have|publishes|maintains|keeps) (?:a|an) (?:free |great |good |excellent |online |open |useful )?"
    r"(?:guide|dataset|database|portal|catalogue|catalog|tutorial|web ?page|page|list|report|toolkit|finding aid)\b"
    r"|(?:\s+(?:and|&)\s+[\w .-]{1,30}?)?\s+(?:have|has)\s+(?:both\s+|also\s+|already\s+)?(?:published|written|"
    r"blogged|released|put out)\b",
    re.IGNORECASE,
)
_ACRONYM_OPEN = re.compile(r"\b[A-Z][A-Za-z0-9]{1,8}\s*\(\s*$")
_CONTACT_AT = re.compile(
    r"(?i:\b(?:people|folks|team|someone|somebody|anyone|staff|archivists|librarians|curators)\s+"
    r"(?:at|from|in)\s+(?:the\s+)?$)"
)
_HELD_AT = re.compile(
    r"(?i:\b(?:went|moved|transferred|deposited|held|kept|stored|housed|digiti[sz]ed|scanned|archived|"
    r"published|hosted)\s+(?:to|in|by|at|with)\s+(?:the\s+)?$)"
)
_CONTACT_VERB = (
    r"(?:talk to|speak (?:to|with)|ask|contact|email|e-mail|write to|reach out to|ping|try|apply to|"
    r"get in touch with|praat met|vraag(?: het)?(?: aan)?|neem contact op met|frag(?: mal)?|kontaktier\w*|"
    r"schreib\w*(?: an)?|wende dich an|contacta(?: a| con)?|escr[ií]be(?:le)? al?|pregunta(?:le)? al?|habla con|"
    r"contacte[zr]?|écri(?:s|vez) à|demande[zr]? à|scrivi a|contatta|chiedi a|fal[ea] com|escrev[ae] (?:para|a|ao))"
)
_ACRONYM_ORG = re.compile(
    rf"(?i:\b{_CONTACT_VERB}\s+(?:the\s+|die\s+|das\s+|het\s+|la\s+|el\s+|le\s+|o\s+|a\s+|al\s+|au\s+|"
    r"alla?\s+|all['’]|do\s+|da\s+|ao\s+|à\s+|zum\s+|zur\s+|beim\s+|bij\s+|l['’])?"
    r"(?:(?:folks|people|team|someone|somebody|helpdesk|help desk|staff|data team|user support)\s+"
    r"(?:at|from|of|bei|van|de|del|du)\s+(?:the\s+|het\s+|la\s+|el\s+|le\s+)?)?"
    r"|\b(?:folks|people|team|someone|somebody|staff)\s+(?:at|from)\s+(?:the\s+)?)"
    r"(?P<org>[A-Z][A-Z0-9&]{1,7}(?:-[A-Z][\w]*)?)(?![\w-])"
    r"|(?<![\w@#/.-])(?P<funder>[A-Z][A-Z0-9&]{1,7})(?:['’]s [\w-]+(?: [\w-]+)? (?:program|programme|grant|grants|"
    r"fellowship|fellowships|call|scheme|fund|team))?\s+(?:funds|runs|has (?:a|an)|offers|hosts|supports|awards|"
    r"gives out)\b"
)
_TEAM_ORG = re.compile(
    rf"(?<![\w@#/.-])(?P<org>[{_UP}][\w&]*(?:-[{_UP}][\w&]*)?(?: [{_UP}][\w&]*(?:-[{_UP}][\w&]*)?){{0,2}}) "
    r"(?:team|crew|staff)\b"
)
_CONTACT_ANYWHERE = _Cues(
    r"\b" + _CONTACT_VERB + r"\b",
    r"\b(?:email|e-mail|dm|message|mail|write to|contact) (?:them|both|the team)\b",
)
_DESK_ORG = re.compile(
    r"(?<![\w@#/.-])(?P<a>[A-Z][A-Za-z0-9]{1,20})['’]s (?:[\w-]+ ){0,3}(?:support|help|service|user)[ -]?"
    r"(?:desk|team|line)\b"
    rf"|(?i:(?:support|help|service)[ -]?(?:desk|team|line)\s+(?:of|der|des|de|du|del|at|van|bei)\s+"
    rf"(?:the\s+|la\s+|le\s+|l['’]|el\s+)?)(?P<b>[{_UP}][\w-]{{1,30}})"
)
# cheap literal gates for _ACRONYM_ORG's two branches (people at an acronym; an acronym that funds or runs)
_ACRONYM_PEOPLE_GATE = re.compile(r"folks|people|team|someone|somebody|staff|help ?desk|support")
_FUNDER_VERB_GATE = re.compile(r"funds|runs|has an? |offers|hosts|supports|awards|gives out")
_TEAM_OF_ORG = re.compile(
    r"(?i:\b(?:l['’])?(?:équipe|equipo|team|squadra|gruppe|groep|grupo|equipa)\s+(?:du|de la|de|del|della|di|des|"
    r"van|der|do|da|at|of)\s+(?:the\s+|l['’]|het\s+)?)(?P<org>[A-Z][A-Z0-9]{1,7})(?![\w-])"
)
_LAB_ORG = re.compile(
    rf"(?<![\w'’-])(?:[Tt]he\s+)(?P<org>[{_UP}][\w-]{{1,30}} (?:lab|Lab|group|Group))(?![\w'’])"
    rf"(?=(?:\s+(?:at|in)\s+[{_UP}][\w-]*|\s*\([^()]{{1,40}}\))?,?\s+(?:(?:they|who)(?:'re|'ve)?\s+)?"
    r"(?:does|do|did|runs|run|ran|has|have|is|are|knows|know|works|work|would|could|can|offers|offer|built|build|"
    r"published|helped|reviewed)\b)"
)
# a funder named by what it offers: "Vinnova's Innovative Startups call, Nordic Innovation's climate programmes"
_FUNDER_OWN = re.compile(
    rf"(?<![\w@#/.'’-])(?P<org>[{_UP}][\w&-]*(?: [{_UP}][\w&-]*){{0,3}})['’]s (?:[\w-]+ ){{0,3}}?"
    r"(?:calls?|open calls?|programmes?|programs?|grants?|fellowships?|schemes?|funds?|awards?|prizes?|"
    r"residenc(?:y|ies)|accelerators?|incubators?|funding|seed funding|bursar(?:y|ies)|scholarships?)\b"
)
_FUNDING_CONTEXT = _Cues(
    r"\b(?:apply|applying|application|options?|fits?|worth|try|consider|look at|check out|deadlines?|eligible|"
    r"non-dilutive|funders?|funding|obvious|good bets?|best bets?|candidates)\b"
)
# the other items of a list a funder is in: ", and EIT Climate-KIC for the data angle"
_LIST_ITEM_ORG = re.compile(
    rf"(?:,|;|,? and|,? or|,? plus)\s+(?:also\s+)?(?:the\s+)?(?P<org>[{_UP}][\w&-]*(?: [{_UP}][\w&-]*){{0,3}})"
    r"(?=['’]s |\s+(?:for|on|if|when|in|or|and|y|et|und|o|ou|e|of)\b|\s*[,;.(]|\s*$)"
)
# an organisation as the subject, then "write to them": "Riksarkivet holds most of the records; write to them"
_ORG_RUN = rf"[{_UP}][\w&.-]{{1,30}}(?:(?: (?:in|of|for|de|du|des|der|für))? [{_UP}][\w&.-]*){{0,3}}"
_ORG_SUBJECT = re.compile(
    rf"(?:^|(?<=[.!?;:,]\s)|(?<=\band\s)|(?<=\n))(?:The )?(?P<org>{_ORG_RUN})(?: and (?P<org2>{_ORG_RUN}))? "
    r"(?:both |also |all |probably |definitely |really )?"
    r"(?:holds|has|have|runs|run|funds|fund|offers|hosts|host|keeps|maintains|publishes|manages|supports|awards|"
    r"coordinates|curates|collects|archives|digiti[sz]ed|organi[sz]es|gives out|is|are|does|do|did|would|could|"
    r"will|ran|helped|answers|knows|works)\b"
)
# "is who you talk to", "is the obvious partner", "would love this": the subject is recommended as it stands
_ORG_PREDICATE = re.compile(
    r"(?i:\s(?:is|are) (?:who|the (?:people|place|team|org\w*|obvious \w+|natural \w+|best \w+|right \w+|one)) "
    r"(?:you|to|for|i'?d)\b|\s(?:is|are) the (?:obvious|natural|best|right) (?:partner|contact|place|people|team)\b|"
    r"\swould (?:probably |definitely |really )?love (?:this|to)\b)"
)
_ORG_PREDICATE_GATE = re.compile(r" (?:is|are) (?:who|the) |love (?:this|to)")
# "the folks at Mozilla", "the archivists at the Wellcome Collection", "the Met Office's archive team"
_STAFF_OF_ORG = re.compile(
    r"(?i:\b(?:folks|people|team|staff|archivists|librarians|curators|helpdesk|help desk|engineers|researchers|"
    r"scientists)\s+(?:at|from|of)\s+(?:the\s+)?)"
    rf"(?P<org>{_ORG_RUN})"
    rf"|(?:(?<=[Tt]he )|(?<![\w@#/.-]))(?P<own>{_ORG_RUN})['’]s (?:[\w-]+ ){{0,2}}?(?:team|desk|staff|archivists|"
    r"librarians|curators|helpdesk|help desk|people|folks|office)\b"
    r"|(?<![\w@#/.-])(?P<acr>[A-Z][A-Z0-9]{1,7})(?: [a-z][\w-]*){0,2} (?:folks|people|team|staff|desk|helpdesk)\b"
)
_THEM_CONTACT = _Cues(
    r"\b(?:write to|writing to|email|e-mail|emailing|contact|contacting|ask|asking|ping|reach out to|"
    r"reaching out to|talk to|call|message|get in touch with|apply to|approach|approaching) (?:them|both|either|all three)\b",
    r"\btheir (?:team|helpdesk|help desk|staff|support|archivists|people) (?:is|are|answers?|was|were|helped|responds?)\b",
    r"\bthey'?d (?:be (?:happy|glad|keen|delighted)|love)\b|\bright up their (?:street|alley)\b",
    r"\b(?:schreib|schreiben sie|frag|fragen sie|kontaktier\w*) (?:ihnen|sie|beide)\b|\bescr[ií]beles\b|"
    r"\bcontáct(?:alos|alas)\b|\bécri(?:s|vez)-leur\b|\bcontacte[zr]?-les\b|\bscrivi(?:gli|te loro)\b|"
    r"\bcontattal[ie]\b|\bmail ze\b|\bschrijf ze\b|\bescreva-lhes\b|\bcontate-os\b",
)
_ORG_SUFFIX_WORDS = frozenset(_ORG_SUFFIX.split("|"))
# an organisation's name rather than a person's: an acronym, a dot, a digit or a connector inside
_ORG_SHAPED = re.compile(r"[A-Z]{2}|\.\w|\d| (?:in|of|for|de|du|des|der|für) ")
_HELPFUL = _Cues(
    r"\b(?:helpful|responsive|approachable|generous|friendly|lovely|great|brilliant|excellent|happy to help|"
    r"know (?:this|their stuff|everything)|hilfsbereit|serviables?|amables|disponibili|behulpzaam|prestativ[oa]s)\b"
)
_STAFF_GATE = re.compile(
    r"folks|people|team|staff|archivists|librarians|curators|help ?desk|engineers|researchers|"
    r"scientists|office"
)
# literal gates (no leading \b, no IGNORECASE: `re` skips to the possible first characters quickly)
_ORG_GATE = re.compile(
    "|".join(sorted({w.lower() for w in _ORG_SUFFIX.split("|")} | {"institut", "stiftung", "zentrum"}))
)
_DESK_GATE = re.compile(r"desk|team|line")
_LAB_GATE = re.compile(r"lab|group")
_TEAM_GATE = re.compile(r"team|crew|staff")
_ACRONYM = re.compile(r"[A-Z][A-Z0-9&]")
_GENERIC_ACRONYMS = frozenset(
    "ai ml nlp phd llm llms ceo cto cfo hr it api apis ui ux pr pdf faq eu us uk un ok dm dms tl dr tldr imo "
    "imho fyi asap rsvp usa qa cv ip oss saas b2b cs ta ra pi rl gpu cpu".split()
)
_CAPITAL_WORD_NEXT = re.compile(rf" [{_UP}][{_LO}]")
_ORG_LEADING = re.compile(r"^(?:(?:The|Also|Check|See|Try|And|Or|Plus|Both|Look|Post|Apply|Ask)\s+){1,6}")

_STOP: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and is are of to in that it for you with this on be not have what they but was my "
        "your at so if or from there would about i me we our".split()
    ),
    "de": frozenset(
        "der die das und ist nicht ich du sie er ein eine mit auf für von zu den dem sich auch "
        "aber wie bei oder sehr unbedingt gerade hat diese dieser genau".split()
    ),
    "fr": frozenset(
        "le la les et est pas je tu vous une des du pour que qui dans sur avec mais pour ce "
        "cette sont c'est j'ai".split()
    ),
    "es": frozenset(
        "el la los las y es no yo que de en un una por para con pero muy está son del al lo como más".split()
    ),
    "it": frozenset(
        "il lo la gli le e è non io che di un una per con ma sono della del nel questo anche "
        "molto come più partirei".split()
    ),
    "pt": frozenset(
        "os é não eu que em um uma para com mas muito são do da na isso você também está".split()
    ),
    "nl": frozenset("de het een en is niet ik je dat van in op met voor maar zijn ook wel er".split()),
}
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


# ------------------------------------------------------------------------------------------- helpers
def _words(text: str) -> int:
    """Rough length in words; CJK text counts two characters as a word."""
    cjk = sum(1 for c in text if "\u3040" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7af")
    return len(_WORD.findall(text)) + cjk // 2


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
    words = [w.lower() for w in _WORD.findall(body)]
    if not words:
        return "en" if body.strip() else None  # emoji-only: the corpus convention is the thread's language
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOP.items()}
    best = max(scores, key=lambda k: scores[k])
    return best if scores[best] > scores["en"] else "en"


def _fold(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", s.lower()) if c.isalnum())


def _handle_platform(handle: str, reply_platform: str, after: str) -> str:
    if "." in handle:
        return "bluesky"
    near = after[:30].lower()
    if re.search(r"\bon (?:bluesky|bsky)\b", near):
        return "bluesky"
    if re.search(r"\bon substack\b", near):
        return "substack"
    return "x"


def _valid_handle(h: str) -> bool:
    return bool(_BSKY_HANDLE.match(h)) if "." in h else bool(_X_HANDLE.match(h))


def _is_bot_handle(h: str) -> bool:
    base = h.split(".", 1)[0] if h.endswith(".bsky.social") else h
    return h in _BOT_HANDLES or base in _BOT_HANDLES or bool(_BOT_HANDLE_RX.search(base))


@dataclass
class _Found:
    handle: str
    start: int
    end: int
    platform: str
    is_url: bool = False


def _find_handles(text: str, platform: str, mentions: Sequence[Mention]) -> list[_Found]:
    found: list[_Found] = []
    seen: set[str] = set()
    for m in _HANDLE_TEXT.finditer(text):
        if len(found) >= MAX_HANDLES:
            break
        raw = m.group(1) or m.group(2) or m.group(3) or ""
        h = normalise_handle(raw)
        if m.group(2) and h in _X_PATHS:
            continue
        if not _valid_handle(h):
            continue
        is_x_url = m.group(2) is not None and "bsky.app" not in m.group(0)
        plat = "x" if is_x_url else _handle_platform(h, platform, text[m.end() :])
        if platform == "x" and "." not in h:
            plat = "x"
        found.append(_Found(h, m.start(), m.end(), plat, m.group(2) is not None))
        seen.add(h)
    for mention in mentions:  # platform structure: trust its handle and platform; locate it in the text
        if not mention.handle:
            continue
        h = normalise_handle(mention.handle)
        plat = mention.platform or platform
        hits = [f for f in found if f.handle == h]
        for f in hits:
            f.platform = plat
        if not hits and h not in seen and _valid_handle(h):
            pos = text.lower().find("@" + h)
            if pos >= 0:
                found.append(_Found(h, pos, pos + len(h) + 1, plat))
                seen.add(h)
    found.sort(key=lambda f: f.start)
    return found


def _name_runs(text: str) -> list[tuple[str, int, int]]:
    runs: list[tuple[str, int, int]] = []
    for m in _NAME_RUN.finditer(text):
        if len(runs) >= MAX_HANDLES * 2:
            break
        tokens = m.group(0).split(" ")
        start = m.start()
        while tokens and tokens[0].lower() in _NOT_NAME:  # "Also Lucas" -> "Lucas"
            start += len(tokens[0]) + 1
            tokens = tokens[1:]
        while tokens and tokens[-1].lower() in _NOT_NAME:
            tokens = tokens[:-1]
        if tokens and not any(t.lower() in _NOT_NAME for t in tokens):
            name = " ".join(tokens)
            runs.append((name, start, start + len(name)))
    return runs


def _name_for_handle(handle: str, runs: Sequence[tuple[str, int, int]]) -> str | None:
    """The longest name whose parts all appear in the handle (Maria ~ mariak_lab, Arne Levin ~ levin_arn)."""
    key = _fold(handle.split(".", 1)[0] if "." in handle else handle)
    best: str | None = None
    for name, _s, _e in runs:
        parts = [_fold(p) for p in re.split(r"[ '’-]", name) if p]
        if not parts or any(len(p) < 3 for p in parts):
            continue
        if any(p in key for p in parts) and all(p in key or p[:3] in key for p in parts):
            if best is None or len(name) > len(best):
                best = name
    return best


def _prefix_end(text: str, found: Sequence[_Found]) -> int:
    """End of the run of mentions the reply starts with (X auto-prefix, or addressing someone)."""
    end = 0
    for f in found:
        if f.is_url or text[end : f.start].strip():
            break
        end = f.end
    return end


def _affiliation_before(text: str, start: int) -> bool:
    """Whether an organisation starting at `start` is someone's affiliation ("at the X", "del BC3 (X)")."""
    before = text[max(0, start - 40) : start]
    acronym = _ACRONYM_OPEN.search(before)  # "del BC3 (Basque Centre ...)": the expansion of an acronym
    if acronym:
        before = before[: acronym.start()]
    if _CONTACT_AT.search(before):
        return False  # "the people at the X": the X is who to contact
    if _HELD_AT.search(before):
        return True  # "the logs went to the British Library": where material is, not who to ask
    return bool(_AFFILIATION_BEFORE.search(before[-20:]))


def _org_referrals(text: str) -> tuple[list[Referral], list[tuple[int, int]]]:
    out: list[Referral] = []
    spans: list[tuple[int, int]] = []
    lower = text.lower()
    titles = [m.span() for m in _QUOTED_TITLE.finditer(text)] if _ORG_GATE.search(lower) else []
    for m in _ORG.finditer(text) if _ORG_GATE.search(lower) else ():
        raw = m.group(0)
        lead = _ORG_LEADING.match(raw)
        start = m.start() + (lead.end() if lead else 0)
        name = text[start : m.end()].strip()
        spans.append((m.start(), m.end()))
        if not name or _affiliation_before(text, start) or _ORG_CITED_AFTER.match(text, m.end()):
            continue
        if name in _ORG_SUFFIX_WORDS or any(a < start < b for a, b in titles):
            continue  # "The Archive" alone, or words of a quoted title: "The Archive and the Algorithm"
        out.append(Referral(None, name, None, "org"))
    known = list(_KNOWN_ORG_RX.finditer(text))
    if known and not (  # a well-known name in passing ("an episode with someone from X") is not a referral
        _CONTACT_ANYWHERE.search(text)
        or _THEM_CONTACT.search(text)
        or _HELPFUL.search(text)
        or _FUNDING_CONTEXT.search(text)
    ):
        known = []
    for m in known:
        if any(s <= m.start() < e for s, e in spans):
            continue
        word = m.group(1)
        if _CAPITAL_WORD_NEXT.match(text, m.end()):
            continue  # "the Wellcome Collection": part of a longer name
        if word.islower() and word.lower() not in {"openai", "deepmind"}:
            continue  # "santa fe" lower-case is prose, not the institute
        if _affiliation_before(text, m.start()) or _ORG_CITED_AFTER.match(text, m.end()):
            continue
        out.append(Referral(None, _KNOWN_ORGS[word.lower()], None, "org"))
    names = {r.name for r in out}
    funders: list[tuple[str, int, int]] = []
    if ("'s " in text or "’s " in text) and _FUNDING_CONTEXT.search(text):
        funders = [(m.group("org"), m.start("org"), m.end()) for m in _FUNDER_OWN.finditer(text)]
    if funders:  # the other items of the same list are funders too
        sentence_end = text.find(".", funders[-1][2])
        tail = text[funders[-1][2] : sentence_end if sentence_end >= 0 else len(text)][:200]
        funders += [
            (m.group("org"), funders[-1][2] + m.start("org"), 0) for m in _LIST_ITEM_ORG.finditer(tail)
        ]
    them = _THEM_CONTACT.search(text)
    for m in _ORG_SUBJECT.finditer(text) if them or _ORG_PREDICATE_GATE.search(lower) else ():
        if them or _ORG_PREDICATE.match(text, m.end() - len(m.group(0).rsplit(" ", 1)[-1]) - 1):
            for g in ("org", "org2"):
                org = m.group(g)
                if org and (" " not in org or _ORG_SHAPED.search(org)):  # "Maria Lopez has" is a person
                    funders.append((org, m.start(g), 0))
    if _STAFF_GATE.search(lower) and (them or _CONTACT_ANYWHERE.search(text) or _HELPFUL.search(text)):
        for m in _STAFF_OF_ORG.finditer(text):
            g = "org" if m.group("org") else "own" if m.group("own") else "acr"
            org = m.group(g)
            the = org.startswith(("The ", "the ")) or text[max(0, m.start(g) - 4) : m.start(g)] in (
                "The ",
                "the ",
            )
            if g != "own" or " " not in org or _ORG_SHAPED.search(org) or the:
                funders.append((org, m.start(g), 0))

    def add_candidates(cands: list[tuple[str, int, int]]) -> None:
        """Keep the organisation names that are not generic, already found or someone's affiliation."""
        for org, start, _end in cands[:MAX_HANDLES]:
            tokens = org.split(" ")
            while (
                tokens
                and not tokens[0].isupper()
                and tokens[0].lower() in _NOT_NAME | _GENERIC_CAPS
                and not (tokens[0] == "Our" and _ORG_SHAPED.search(org))  # "Our World in Data"
            ):
                start += len(tokens[0]) + 1
                tokens = tokens[1:]
            org = " ".join(tokens)
            if (
                not tokens
                or org in names
                or org.lower() in _GENERIC_ACRONYMS
                or any(
                    t.lower() in _GENERIC_CAPS
                    for t in tokens
                    if not t.islower() and not t.isupper() and t != "Our"
                )
                or any(a <= start < b for a, b in spans)
                or any(org in n or n in org for n in names if n)
                or _affiliation_before(text, start)
            ):
                continue
            names.add(org)
            spans.append((start, start + len(org)))
            out.append(Referral(None, org, None, "org"))

    add_candidates(funders)
    listed: list[tuple[str, int, int]] = []
    contact_anywhere = _CONTACT_ANYWHERE.search(text)
    acronym_gate = _ACRONYM.search(text) and (
        contact_anywhere or _ACRONYM_PEOPLE_GATE.search(lower) or _FUNDER_VERB_GATE.search(text)
    )
    for m in _ACRONYM_ORG.finditer(text) if acronym_gate else ():  # "ask the folks at KNMI"
        g = "org" if m.group("org") else "funder"
        org = m.group(g)
        if (
            org.lower() not in _GENERIC_ACRONYMS
            and org not in names
            and not any(a <= m.start(g) < b for a, b in spans)
            and (g == "org" or not _affiliation_before(text, m.start(g)))
        ):
            names.add(org)
            spans.append((m.start(g), m.end(g)))
            out.append(Referral(None, org, None, "org"))
            if g == "org":  # "Try KNMI, DWD or Météo-France": the other items of the list
                sentence_end = text.find(".", m.end(g))
                tail = text[m.end(g) : sentence_end if sentence_end >= 0 else len(text)][:200]
                listed += [
                    (i.group("org"), m.end(g) + i.start("org"), 0) for i in _LIST_ITEM_ORG.finditer(tail)
                ]
    add_candidates(listed)
    extra: list[tuple[str, int]] = []
    if _DESK_GATE.search(lower):
        extra += [(m.group("a") or m.group("b"), m.start()) for m in _DESK_ORG.finditer(text)]
    if _LAB_GATE.search(lower):
        extra += [(m.group("org"), m.start("org")) for m in _LAB_ORG.finditer(text)]
    if contact_anywhere and _ACRONYM.search(text):
        extra += [(m.group("org"), m.start("org")) for m in _TEAM_OF_ORG.finditer(text)]
    for org, start in extra:  # "ECMWF's user support desk", "the Nyström lab at Uppsala does ..."
        if org.lower() in _GENERIC_ACRONYMS or org in names or any(a <= start < b for a, b in spans):
            continue
        if org.split(" ")[0].lower() in _NOT_NAME or _affiliation_before(text, start):
            continue
        names.add(org)
        spans.append((start, start + len(org)))
        out.append(Referral(None, org, None, "org"))
    if contact_anywhere and _TEAM_GATE.search(lower):  # "The Zooniverse team ran it. Email them."
        for m in _TEAM_ORG.finditer(text):
            tokens = m.group("org").split(" ")
            while tokens and tokens[0].lower() in _NOT_NAME | _GENERIC_CAPS:
                tokens = tokens[1:]
            org = " ".join(tokens)
            if (
                not tokens
                or any(t.lower() in _GENERIC_ACRONYMS | _GENERIC_CAPS for t in tokens)
                or org in names
            ):
                continue
            if any(a <= m.start() < b for a, b in spans) or _affiliation_before(text, m.start()):
                continue
            names.add(org)
            spans.append((m.start(), m.end()))
            out.append(Referral(None, org, None, "org"))
    return out, spans


def _referrals(
    text: str,
    platform: str,
    excluded: set[str],
    mentions: Sequence[Mention],
    skip_names: Collection[str] = (),
) -> tuple[list[Referral], bool]:
    """People and orgs recommended for contact, and whether the text invokes a bot."""
    found = _find_handles(text, platform, mentions)
    runs = _name_runs(text)
    bot_invoked = any(_is_bot_handle(f.handle) for f in found)
    prefix_end = _prefix_end(text, found)
    body = text[prefix_end:]
    refs: list[Referral] = []
    handled: set[str] = set()
    used_names: set[str] = set()
    prefix_unendorsed: list[_Found] = []

    def add(f: _Found, name: str | None) -> None:
        if f.handle in handled:
            return
        handled.add(f.handle)
        if name:
            used_names.add(name)
        kind: Literal["person", "org"] = (
            "org" if re.search(r"\.org$|institute|foundation|society", f.handle) else "person"
        )
        refs.append(Referral(f.handle, name, f.platform, kind))

    pronoun_contact = bool(_PRONOUN_CONTACT.search(body))
    predicate_start = bool(_PREDICATE_START.match(body))
    any_prefix_named = any(
        f.end <= prefix_end and (n := _name_for_handle(f.handle, runs)) is not None and n in body
        for f in found
    )
    for f in found:
        if f.handle in excluded or _is_bot_handle(f.handle):
            handled.add(f.handle)
            continue
        name = _name_for_handle(f.handle, runs)
        if f.end <= prefix_end:  # leading mention: not a referral unless the text then endorses it
            named_in_body = name is not None and name in body
            # "@a @b +1, B's handbook is great, just DM her": the pronoun points at the one named, not at all
            pronoun = pronoun_contact and (named_in_body or not any_prefix_named)
            endorsed = predicate_start or pronoun
            if not endorsed and name:
                pos = body.find(name)
                endorsed = pos >= 0 and (
                    bool(_ENDORSE_AFTER_NAME.match(body[pos + len(name) :]))
                    or bool(_CONTACT_BEFORE.search(body[max(0, pos - 40) : pos]))
                )
            if endorsed:
                add(f, name)
            else:
                prefix_unendorsed.append(f)
            continue
        before = text[max(0, f.start - 40) : f.start]
        after = text[f.end : f.end + 40]
        if _NEGATIVE_BEFORE.search(before) or _JOKE_AFTER.match(after):
            continue
        if (
            _ATTRIBUTION_BEFORE.search(before) or _ATTRIBUTION_AFTER.match(after)
        ) and not _ENDORSE_PRONOUN.search(
            text, f.end, f.end + 80
        ):  # "What @x said. Also, he's the person to DM" endorses after all
            continue
        add(f, name)

    # "@noa @roisin We did it together: Roisin has the real results" -> the one leading mention is endorsed
    if len(prefix_unendorsed) == 1:
        for name, s, e in runs:
            if " " not in name and s >= prefix_end and _ENDORSE_AFTER_NAME.match(text[e:]):
                add(prefix_unendorsed[0], name)
                break

    # people named without a handle: honorifics, contact verbs, roles, affiliations, lists, CJK honorifics
    folded_excluded = {_fold(x) for x in excluded}
    orgs, org_spans = _org_referrals(text)
    org_names = {o.name for o in orgs}
    for name, s, e in [*named_people(text, skip_names, org_spans), *cjk_people(text, skip_names)]:
        if name in used_names or name in org_names or _fold(name) in folded_excluded:
            continue
        if s < prefix_end or any(_name_for_handle(h, [(name, s, e)]) for h in handled):
            continue
        own = _HANDLE_AFTER_NAME.match(text, e)
        h = normalise_handle(own.group(1)) if own else ""
        if own and any(r.handle == h for r in refs):  # "Jane Okafor (@jokafor_lab)": one person, named
            refs[:] = [
                Referral(r.handle, r.name or name, r.platform, r.kind) if r.handle == h else r for r in refs
            ]
            used_names.add(name)
            continue
        used_names.add(name)
        refs.append(Referral(None, name, None, "person"))

    for org in orgs:
        if org.name and all(r.name != org.name for r in refs):
            refs.append(org)
    return refs, bot_invoked


# yes/no and either/or questions without a question word ("Bedoel je X of Y?", "¿Cuántas ...?", "raw or derived?")
_QUESTION_SHAPE = re.compile(
    r"^\s*¿|[かの][？?]$|ですか|ますか|でしょうか|\b(?:or|o|ou|oder|of|ovvero|oppure|ou seja)\b[^?？]{1,60}[?？]\s*$"
    r"|^\s*(?:@\S+\s+){0,25}(?:(?:et|and|und|e|en|y|mais|but|aber|ma|maar|pero|mas)\s+)?(?:on|bedoel|heb|hebben|is|zijn|kun|kan|wil|weet|heeft|moet|ma|ed|e|allora|sono|è|vendete|"
    r"usate|avete|hai|sei|siete|quindi|você|vocês|tem|têm|é|são|vai|vão|estão|está|já|tu|vous|est-ce|y|entonces|"
    r"tienen|tenés|usáis|usan|hay|es|son|está|están|ist|sind|habt|hast|gibt|seid|meinst|meinen|wollt|also)\b",
    re.IGNORECASE,
)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[？。！])\s*|\n+")
_RESOURCE_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_RHETORICAL = re.compile(r"\b(?:will|would|might|always) ask\s*:|\bthe question is\b", re.IGNORECASE)
_ASKS = re.compile(r"[?？]\s*$")
_CLAUSE = re.compile(r"[—–:;,]|\s-\s")
_QUOTED_TITLE = re.compile(r"[\"“'‘«「『][^\"”'’»」』]{3,}[\"”'’»」』]")
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
            rest += _words(st)
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
        rest += _words(st)
    return asked, rest


# ------------------------------------------------------------------------------------------- the API
def understand(
    text: str,
    *,
    platform: str,
    author_handle: str | None = None,
    author_name: str | None = None,
    author_bio: str | None = None,
    owner_handles: Collection[str] = (),
    mentions: Sequence[Mention] = (),
) -> Understanding:
    """Label one reply (see the module docstring). Never raises on odd input; never trusts the text."""
    raw = text or ""
    clean = _clean(raw)
    bio = _clean(author_bio or "")
    name = _clean(author_name or "")
    language = detect_language(clean[: VIEW_HEAD + VIEW_TAIL])
    profile = f"{name} {bio}"
    author_is_bot = bool(_BOT_PROFILE.search(profile)) or (
        author_handle is not None and _is_bot_handle(normalise_handle(author_handle))
    )
    excluded = {normalise_handle(h) for h in _iter_str(owner_handles)}
    if author_handle:
        excluded.add(normalise_handle(author_handle))

    if _is_spam(raw, clean, profile):
        return Understanding("spam", (), False, "none", language)
    if _ABUSE.search(clean):
        return Understanding("abuse", (), False, "none", language)
    view = clean
    if len(clean) > VIEW_HEAD + VIEW_TAIL:
        view = f"{clean[:VIEW_HEAD]}\n{clean[-VIEW_TAIL:]}"
    # people can be recommended anywhere in a long reply: referrals read all of the capped text, unless it is
    # a repetitive flood (few distinct words), where the head and tail say everything and cost less
    prose = len(set(clean.split())) >= 60
    refs, bot_invoked = _referrals(clean if prose else view, platform, excluded, mentions, (name,))
    clean = view

    offers = bool(_OFFER.search(clean))
    body = re.sub(r"(?<![\w.@/])@[\w.-]+", " ", clean)
    n_words = _words(body)
    intent: Intent
    if refs:
        intent = "referral"
    elif offers:
        intent = "offer"
    elif _is_resource(body):
        intent = "resource"
    elif bot_invoked:
        intent = "social"
    else:
        intent = _residual_intent(body, n_words)

    priority = _priority(intent, body, n_words, bio, offers, author_is_bot)
    return Understanding(intent, tuple(refs), offers, priority, language)


def _iter_str(values: Iterable[str]) -> Iterable[str]:
    return [values] if isinstance(values, str) else values


def _is_spam(raw: str, clean: str, profile: str) -> bool:
    if _INJECTION.search(clean) or _PAYLOAD.search(clean):
        return True
    if any(c in raw for c in "\u202e\u202d") and re.search(r"https?://|\.\w{2,4}\b", clean):
        return True  # right-to-left override hiding a link or file name
    if _SPAM_STRONG.search(clean):
        return True
    weak = sum(1 for rx in _SPAM_WEAK if rx.search(clean))
    weak += 1 if _SPAM_PROFILE.search(profile) else 0
    return weak >= 2


_TITLE = re.compile(
    r"(?i:\b(?:read|watch|listen to|cite|check out|lies|lisez|leggi|lee)\s+)[\"“'‘«「『]\w"
    r"|[\"“'‘«][A-Z][^\"”'’»]{3,}[\"”'’»],? (?:by|von|de|di|par) [A-Z]"
)


_CONTRACTED = frozenset("what that it there here let who where how he she this everyone nobody".split())
_BOOK_TITLE = re.compile(r"『[^』]{2,80}』")  # Japanese marks titles of books and works with 『』


def _is_resource(body: str) -> bool:
    if _RESOURCE_STRONG.search(body) or _TITLE.search(body) or _BOOK_TITLE.search(body):
        return True
    for sentence in _RESOURCE_SENTENCE_END.split(body, maxsplit=MAX_SENTENCES)[:MAX_SENTENCES]:
        if not _RESOURCE_NOUN.search(sentence) or sentence.rstrip().endswith(("?", "？")):
            continue  # a question about archives is not a pointer to one
        if _RESOURCE_TITLE.search(sentence):
            return True  # a quoted title
        for i, m in enumerate(_LATIN_WORD.finditer(sentence)):
            t = m.group(0)
            owned = (
                sentence[m.end() : m.end() + 2] in ("'s", "’s") and t.lower() not in _CONTRACTED
            )  # "X's wiki"
            if (i == 0 and not owned) or not t[0].isupper() or t.lower() in _GENERIC_CAPS:
                continue
            if _RESOURCE_NOUN.search(sentence[max(0, m.start() - 40) : m.end() + 40]):
                return True  # a named thing near the noun: "the Concordia tech report", "GECCO QD tutorial"
            if i > 60:
                break
    return False


def _residual_intent(body: str, n_words: int) -> Intent:
    if _CRITIQUE.search(body) and n_words >= 3:
        return "critique"
    asked, rest = _is_question(body)
    if asked and rest < 20:
        return "question"
    if _SARCASM.search(body) or n_words < 8:
        return "social"
    if _JOKEY.search(body) and n_words < 25:
        return "social"
    if asked:
        return "answer" if rest >= 30 else "question"

    return "answer" if n_words >= 12 else "social"


_SENIOR_BIO = _rx(
    r"\bhistorian\b|\bhistoriadora?\b|\bhistorikerin\b|\bhistoriker\b|\bhistorienne?\b|\bstorica?\b|\bhistoricus\b",
    r"\barchivist\b|\bcurator\b|\blibrarian\b",
    r"\bprof(?:essor)?\b",
    r"\bfaculty\b",
    r"\blecturer\b",
    r"\bpostdoc\b",
    r"\bresearch scientist\b",
    r"\bindependent researcher\b",
    r"\bgroup leader\b",
    r"\bpi\b",
    r"\beconomist\b",
    r"\bchercheu",
    r"\bforscher",
    r"\binvestigador",
    r"\bricercat",
    r"教授",
    r"\bprofesseur",
    r"\bdozent",
)
_EXPERIENCE = _rx(
    r"\bfrom (?:my )?experience\b",
    r"\bin our (?:\(\w+\) )?(?:\w+ )?(?:tests|experiments|runs|data|lab|"
    r"group|work)\b",
    r"\bwe (?:ran|found|tried|built|did|saw)\b",
    r"\bi did\b",
    r"\bi'?ve seen\b",
    r"\bmy (?:lab|group)\b",
    r"\bi'?ve (?:run|built|supervised|hired|reviewed)\b",
    r"\bin (?:my|our) experience\b",
    r"\bat (?:my|our) (?:last|previous|old|current) (?:job|company|lab|startup|team)\b",
    r"\bwe'?ve (?:run|been running|built|done|used|shipped|tried)\b",
    r"\b(?:lo|la) hicimos\b|\bhemos (?:hecho|usado|probado)\b|\bwir haben\b|\bwe hebben\b|\bnós fizemos\b|"
    r"\bfizemos\b|\babbiamo (?:fatto|usato|provato)\b|\bnous avons\b|\bon a (?:fait|testé|utilisé)\b|うちは|私たちは",
)
_PHD_BIO = _rx(r"\bph\.?d\b(?! student| candidate| researcher| fellow)")  # a doctorate, unless still in it
_JUNIOR_BIO = _rx(
    r"\bstudent\b", r"\bundergrad", r"\b\d(?:st|nd|rd|th)[- ]year\b", r"\bhobbyist\b", r"\bstudying\b"
)


def _priority(intent: Intent, body: str, n_words: int, bio: str, offers: bool, bot: bool) -> Priority:
    if intent in ("spam", "abuse") or bot:
        return "none"
    if intent == "referral":
        return "high"
    if intent == "offer":
        return "medium" if _OFFER_HEDGE.search(body) else "high"
    if intent == "answer":
        if not bio.strip():
            return "medium"
        junior = _JUNIOR_BIO.search(bio)
        expert = bool(_SENIOR_BIO.search(bio)) or bool(_EXPERIENCE.search(body))
        expert = expert or (_PHD_BIO.search(bio) and not junior)
        substantial = n_words >= 45 and not junior  # a long, specific answer from a profile
        return "high" if (expert and n_words >= 20) or substantial else "medium"
    if intent == "critique":
        return "low" if n_words < 12 else "medium"
    if intent == "question":
        return "low" if n_words < 12 else "medium"
    if intent == "resource":
        return "low" if n_words < 6 else "medium"
    return "low"
