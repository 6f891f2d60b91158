"""Stage 1: spam, prompt injection, payloads, bots and abuse: replies whose handles are never filed (pure)."""

from __future__ import annotations

import re

from bot.understand.cues import CueMatcher, union

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
# "bot" as a handle's word or ending ("remindmebot", "news_bot"); not "robot" or a word that starts with it
# ("botanist", "overijssel-robot": people)
_BOT_HANDLE_RX = re.compile(r"(?:^|[._-])bot(?:$|[._\d-])|(?<!ro)bot$")
BOT_PROFILE = CueMatcher(
    r"\b(?:i'?m|i am|this is) an? (?:\w+ )?bot\b",
    r"\bautomated (?:account|replies)\b",
    r"\bbot account\b",
    r"🤖",
    r"\bbeep boop\b",
)

_INJECTION = CueMatcher(*union(lambda c: c.injection))
_PAYLOAD = CueMatcher(
    r"<\s*script\b",
    r"<\s*(?:img|svg|iframe|object|embed)\b[^>]*\bon\w+\s*=",
    r"\bjavascript:",
    r"^\s*[=+@-]\s*(?:hyperlink|cmd|importxml|importdata|webservice|image)\s*\(",
    r"=\s*(?:hyperlink|importxml|importdata|webservice)\s*\(",
    r"=\s*cmd\s*\|",
    r"\.(?:exe|scr|bat|cmd|msi|apk|vbs|jar|pif)\b(?![.\w])",
)
_SPAM_STRONG = CueMatcher(*union(lambda c: c.spam))
_SPAM_WEAK: tuple[CueMatcher, ...] = (  # categories: two different ones make spam
    CueMatcher(
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
        # a call to message in other languages: Turkish "DM at", Indonesian "WA aja", "hubungi admin"
        r"\bdm at\b|\bdm (?:karo|kijiye|karein)\b",
        r"\btoday only\b",
        r"\b(?:wa|whatsapp) (?:aja|saja|admin|kami)\b|\b(?:hubungi|chat) (?:admin|kami)\b",
        # round 7: a messaging app and a phone number ("WA 0812-...", "WhatsApp +51 ..."), a link after any arrow,
        # "order/book/secure now" in other languages, "DM:a oss", KakaoTalk open chat, "message us on WhatsApp"
        r"\b(?:whatsapp|wa|telegram|واتساب)\s*:?\s*(?:\+|0)\d[\d ().x-]{6,}",
        r"[▶►➡➜⇒]\ufe0f?\s*\S+\.[a-z]{2,}",
        r"\bjetzt (?:\w+ )?(?:sichern|buchen|bestellen|abschließen|kaufen|zugreifen)\b|\bbestel (?:nu|vandaag)\b",
        r"\b(?:compre|peça|garanta) (?:já|agora)\b|\b(?:compra|pide|reserva) (?:ya|ahora)\b|\bcek bio\b",
        r"\bdm:?a (?:oss|mig)\b|\border wa\b|open\.kakao|지금 바로 (?:상담|신청|구매|주문|예약)",
        r"\b(?:contactez-nous|écrivez-nous|contáctanos|escríbenos|fale conosco|kontakta oss|schreiben sie uns) "
        r"(?:sur|par|via|por|en|no|på|auf|über) (?:whatsapp|telegram)\b",
        r"(?:تواصل|راسل)(?:ي|وا)?(?:نا)? (?:معنا )?(?:على |عبر )?(?:ال)?واتساب|واتساب الآن",
        r"\bhemen (?:sipariş ver|satın al)\b|\bđặt (?:hàng )?ngay\b",
    ),
    CueMatcher(
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
        # round 8: instant loans ("quick loan", "no collateral"), a price per hour ("from $9/hr"), "very cheap" (pt)
        r"\b(?:quick|instant|fast|easy) (?:loans?|cash)\b|\bno collateral\b",
        r"\$\d[\d,.]*\s*/\s*(?:hr|hour)\b",
        r"\bbaratíssim[oa]s?\b",
        r"\bwhile you sleep\b",
        r"💰|💸|🤑",
        # round 7: a shop's charm price ("€9,99", "R$19,90", "2,99 €/Monat", not "€2.50 a sample"), a price of
        # "only" (not "grants from £3k"), the lowest price (Korean "최저가", "from 9,900 won"), "only 99 dollars" (Arabic)
        r"(?:[€$£]|\br\$|\bus\$)\s?\d+[.,](?:99|95|90|49)\b|\b\d+[.,](?:99|95|90|49) ?(?:€|\$|eur\b|euro\b)",
        r"\b(?:only|seulement|nur|maar|slechts|apenas|solo|sólo|cuma|hanya) "
        r"(?:(?:[€$£]|r\$|us\$) ?\d|\d[\d.,]* ?(?:€|\$|eur\b|euro\b|dollars?\b|reais\b|rb\b|ribu\b))",
        r"최저가|\d[\d,]*원부터",
        r"\d+ ?(?:دولار|ريال|جنيه|درهم) (?:بس|فقط)|(?:بس|فقط) \d+ ?(?:دولار|ريال|جنيه|درهم)|أفضل عرض",
        r"💶|💵|💷|💴",
        r"\bhackers?\b",
        r"\bairdrop\b",
        r"\bcheap (?:prices?|rates)\b",
        r"\bmake \$[\d,]+",
        r"\bno experience (?:needed|required)\b",
        r"\bproven system\b",
        r"\bdaily profits?\b|\bwithdraw (?:daily|anytime|instantly)\b",
        r"\blow interest\b",
        r"\bpay (?:only |just )?\d+ ?% upfront\b",
        # "cheap" as an advert says it ("jasa ... murah", "uygun fiyat", "preço baixo", "prix cassés"), not as an
        # answer does ("o preço baixo do leite", "uygun fiyatlı sensörler", "cảm biến giá rẻ")
        r"\bjasa \w+(?: \w+){0,2} murah\b|\buygun fiyat\b|\bprix cassés\b|\bpetits prix\b",
        r"\b(?<![oa] )(?<!os )(?<!do )(?<!ao )(?<!seu )preços? baixos?\b",
    ),
    CueMatcher(
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
    ),  # not 😍: "che bella idea!! 😍" is how people cheer
    CueMatcher(
        r"\bguaranteed\b",
        r"\bwe can get you\b",
        r"\b(?:boost|grow)(?:ing)? your (?:\w+ )?(?:account|audience|podcast|channel|brand|reach|following|followers)\b",
        r"\bfree (?:e-?book|guide|masterclass|webinar)\b",
        r"\b(?:seo|smm|social media marketing|digital marketing|content marketing) (?:agency|services?|experts?)\b",
        r"\baward-winning (?:agency|team|marketing)\b",
        r"\bgo viral\b",
        r"\bour agency\b",
        r"\b100% original\b",
        r"\b\d+k (?:\w+ ){0,3}(?:followers|listeners|views|subscribers)\b",
        r"\btrusted by \d[\d,]*\+? (?:cities|companies|brands|customers|teams|clients|businesses|researchers|users)\b",
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
        # a discount in other languages: "60% korting", "30 % de descuento", "50% Rabatt", "%40 indirim"
        r"\b\d+ ?% (?:korting|rabatt|de (?:descuento|réduction|remise|desconto)|di sconto|zniżki|diskon|off)\b",
        r"%\d+ i\u0307?ndi\u0307?ri\u0307?m",  # "%70 İNDİRİM" lower-cases each "İ" to "i" + a combining dot
        r"\bgiảm (?:giá )?\d+ ?%",
        # advert grammar drops the article: "98% success rate", not "a 98% success rate" or "our 98% ..."
        r"\b(?<!\ba )(?<!\ban )(?<!\bthe )(?<!\bour )(?<!\bwith )(?<!\bof )\d{2,3}(?:[.,]\d)? ?% (?:success|acceptance|approval) rate\b",
        r"\b(?:garanti(?:e|s|es)?|garantizad[oa]s?|garantid[oa]s?|garantiert|garantit[ie]) (?:à |al |a )?100 ?%|"
        r"\b100 ?% (?:garanti\w*|guaranteed|dijamin|lengkap)\b",
        r"\bgratis (?:installatie|verzending|levering)\b|\b(?:envío|instalación) gratis\b|\blivraison gratuite\b",
        # round 7: "100% approval guaranteed", "100% effective/accurate/granted" in several languages, a pass or
        # success rate of 90-100%, money back, funding "guaranteed" (not "no guaranteed funding"), "all ... unlocked"
        r"\b100 ?% (?:\w+ ){1,2}(?:guaranteed|garanti\w*|dijamin|garansi)\b",
        r"\b100 ?% (?:ampuh|manjur|nauwkeurig|beviljat|accurate|effective|efficace|eficaz|wirksam|approval|success)\b",
        r"\b(?:100|9\d) ?% erfolgsquote|\btaux de réussite (?:de )?(?:100|9\d) ?%|\d+ ?% (?:\S+ )?보장|(?<!غير )مضمون",
        r"\bmoney[- ]back\b|\bpengarna tillbaka\b|\bgeld[- ]zurück\b|\bsatisfait ou remboursé\b|\bgeld terug garantie\b",
        r"\b(?<!\bno )(?<!\bsin )(?<!\bpas de )(?<!\bkeine )(?<!\bingen )(?:financement|förderung|financiación|financiamento) garanti\w*"
        r"|\bgaranterade? (?:\w*bidrag|stipendi\w*|finansiering)\b",
        r"\ball (?:brands|models|features|versions|levels) unlocked\b",
        r"%100 (?:garanti\w*|onay\w*)|\bcam kết (?:\w+ ){0,2}100 ?%|\bbao (?:đậu|đỗ)\b",
    ),
)
# a shouted word or two painted in colour by terminal escapes ("\x1b[31mFREE\x1b[0m"): an advert's banner, one weak
# category (a coloured lower-case "tip:" is not one)
_ANSI_BANNER = re.compile(
    r"\x1b\[[\d;]*m\s*[A-Z][A-Z0-9 !%✔$.,-]{2,}\s*\x1b\[0?m"
    # round 8: a coloured segment that shouts a word of four capitals among other signs ("🚀 99% ACCURATE ...",
    # "[PROMO]")
    r"|\x1b\[[\d;]*m[^\x1b\n]{0,40}\b[A-Z]{4,}\b[^\x1b\n]{0,40}\x1b\[0?m"
)
_SPAM_PROFILE = CueMatcher(
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

# a quoted insult is reported, not aimed ("someone shouted 'go back to school' at her"): quotes are blanked first
_QUOTED = re.compile(
    r"\"[^\"\n]{1,200}\"|“[^”\n]{1,200}”|«[^»\n]{1,200}»|「[^」\n]{1,200}」|(?<!\w)'[^'\n]{3,120}'(?!\w)"
)


class _Abuse(CueMatcher):
    """The abuse cues, searched outside quotation marks; a reply that is nothing but a quote is read whole (an
    insult does not escape by being wrapped in quotes)."""

    __slots__ = ()

    def search(self, text: str) -> bool:
        outside = _QUOTED.sub(" ", text)
        return super().search(outside if len(outside.split()) >= 3 else text)


ABUSE = _Abuse(*union(lambda c: c.abuse))


def is_bot_handle(h: str) -> bool:
    base = h.split(".", 1)[0] if h.endswith(".bsky.social") else h
    return h in _BOT_HANDLES or base in _BOT_HANDLES or bool(_BOT_HANDLE_RX.search(base))


def is_spam(raw: str, clean: str, profile: str) -> bool:
    if _INJECTION.search(clean) or _PAYLOAD.search(clean):
        return True
    if any(c in raw for c in "\u202e\u202d") and re.search(r"https?://|\.\w{2,4}\b", clean):
        return True  # right-to-left override hiding a link or file name
    if _SPAM_STRONG.search(clean):
        return True
    weak = sum(1 for rx in _SPAM_WEAK if rx.search(clean))
    weak += 1 if _SPAM_PROFILE.search(profile) else 0
    weak += 1 if _ANSI_BANNER.search(raw) else 0
    return weak >= 2
