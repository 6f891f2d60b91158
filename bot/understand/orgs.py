"""Organisations a reply recommends: suffixes, well-known names, funders, acronyms, staff, desks, labs (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from bot.understand.cues import CueMatcher, in_order, union
from bot.understand.model import MAX_HANDLES, Referral
from bot.understand.names import COMMON_NOT_NAME as _NOT_NAME
from bot.understand.names import NOT_CONTACT_BEFORE, ORG_WORDS
from bot.understand.normalise import GENERIC_CAPS, LATIN_LO, LATIN_UP, QUOTED_TITLE

_ORG_SUFFIX = (
    r"Institute|Institut|Foundation|Fondation|Stiftung|Fundación|Fondazione|Society|Fund|Trust|"
    r"Council|Association|Academy|Initiative|Collective|Centre|Center|Lab|Labs|Laboratory|"
    r"Network|Alliance|Consortium|Sciences|Philanthropy|Ventures|Museum|Archive|Archives|Library|Agency|"
    r"Observatory|Commission"
)
_ORG = re.compile(
    rf"(?<![\w-])(?:[{LATIN_UP}](?:[\w&'-]|\.(?=\w)){{0,40}}\s+|[{LATIN_UP}][a-z]?\.\s+){{1,4}}(?:{_ORG_SUFFIX})\b"
    rf"(?:\s+(?:Programme|Program|Project|Guild|Initiative|Network|Fund)\b)?(?:\s+(?:of|for)(?:\s+(?:and\s+|&\s+)?[{LATIN_UP}][\w-]*){{1,5}})?"
    rf"|(?<![\w-])[{LATIN_UP}][\w]+-(?:Institut|Institute|Stiftung|Zentrum)\b"
    rf"|(?<![\w-])(?:Institut|Institute|Fondation|Stiftung|Fundación)\s+(?:(?:de|des|du|für|of|for)\s+)?"
    rf"[{LATIN_UP}][\w-]+"
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
    r"(?:(?<!['’])\b(?:at|from|of|with|in|am|an|bei|vom|im|dari|från|vid|van|z|ze|à|au|aux|de|del|della|dell'|di|en|presso|chez|ex|"
    r"former|formerly|left|joined|leaving|inside|within|for)\s+(?:the\s+|der\s+|dem\s+|la\s+|le\s+)?|"
    r"\bl['’]|\bex-|['’]s\s+)$",
    re.IGNORECASE,
)
# an organisation named as the source of a thing, not as someone to contact: "the X summer school", "X's
# dataset", "X and Y have both published on this"
_ORG_CITED_AFTER = re.compile(
    r"(?:['’]s)?\s+(?:[\w-]+\s+)?(?:summer school|dataset|data set|data|paper|papers|report|blog|blog post|"
    r"conference|workshop|proceedings|survey|guidance|handbook|index|website|course|benchmark|model|models|"
    r"catalogue|catalog|collection|database|portal|repository|records|logs|journal|podcast|newsletter|episode|"
    r"directory|member directory|"
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
_DEPARTMENT_OF = re.compile(
    r"(?i:\b(?:afdeling|department|dienst|departamento|área|secretaría|abteilung|referat|servizio|ufficio|service|"
    r"división|divisão|division|unit|avdelning|wydział|dział|bagian|birimi)(?: [\w-]+){0,2}\s+(?:van|of|de|der|des|"
    r"di|du|del|da|do|vom|för|w|dari)\s+(?:de |het |the |la |el |a |o |der |dem |l['’])?$)"
)
_OWN_TEAM_AT = re.compile(
    r"(?i:\b(?:his|her|their|sein\w*|ihr\w*|son|sa|su|sua|seu|zijn|haar) (?:team|group|lab|colleagues|équipe|"
    r"equipo|gruppe|equipa|groep|squadra) (?:at|from|bei|à|chez|en|na|no|da|do|bij|van|di|del|della)\s+(?:the\s+)?$)"
)
_HELD_AT = re.compile(
    r"(?i:\b(?:went|moved|transferred|deposited|held|kept|stored|housed|digiti[sz]ed|scanned|archived|"
    r"published|hosted)\s+(?:to|in|by|at|with)\s+(?:the\s+)?$)"
)
# the languages in the order their verbs are tried: the first that fits decides where an acronym starts
CONTACT_ORDER = ("en", "nl", "de", "es", "fr", "it", "pt")
_CONTACT_VERB = f"(?:{'|'.join(in_order(lambda c: c.contact_org, CONTACT_ORDER))})"
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
    rf"(?<![\w@#/.-])(?P<org>[{LATIN_UP}][\w&]*(?:-[{LATIN_UP}][\w&]*)?(?: [{LATIN_UP}][\w&]*(?:-[{LATIN_UP}][\w&]*)?){{0,2}}) "
    r"(?:team|crew|staff)\b"
)
_CONTACT_ANYWHERE = CueMatcher(
    r"\b" + _CONTACT_VERB + r"\b",
    r"\b(?:email|e-mail|dm|message|mail|write to|contact) (?:them|both|the team)\b",
)
_DESK_ORG = re.compile(
    r"(?<![\w@#/.-])(?P<a>[A-Z][A-Za-z0-9]{1,20})['’]s (?:[\w-]+ ){0,3}(?:support|help|service|user)[ -]?"
    r"(?:desk|team|line)\b"
    rf"|(?i:(?:support|help|service)[ -]?(?:desk|team|line)\s+(?:of|der|des|de|du|del|at|van|bei)\s+"
    rf"(?:the\s+|la\s+|le\s+|l['’]|el\s+)?)(?P<b>[{LATIN_UP}][\w-]{{1,30}})"
)
# cheap literal gates for _ACRONYM_ORG's two branches (people at an acronym; an acronym that funds or runs)
_ACRONYM_PEOPLE_GATE = re.compile(r"folks|people|team|someone|somebody|staff|help ?desk|support")
_FUNDER_VERB_GATE = re.compile(r"funds|runs|has an? |offers|hosts|supports|awards|gives out")
_TEAM_OF_ORG = re.compile(
    r"(?i:\b(?:l['’])?(?:équipe|equipo|team|squadra|gruppe|groep|grupo|equipa)\s+(?:du|de la|de|del|della|di|des|"
    r"van|der|do|da|at|of)\s+(?:the\s+|l['’]|het\s+)?)(?P<org>[A-Z][A-Z0-9]{1,7})(?![\w-])"
)
_LAB_ORG = re.compile(
    rf"(?<![\w'’-])(?:[Tt]he\s+)(?P<org>[{LATIN_UP}][\w-]{{1,30}} (?:lab|Lab|group|Group))(?![\w'’])"
    rf"(?=(?:\s+(?:at|in)\s+[{LATIN_UP}][\w-]*|\s*\([^()]{{1,40}}\))?,?\s+(?:(?:they|who)(?:'re|'ve)?\s+)?"
    r"(?:does|do|did|runs|run|ran|has|have|is|are|knows|know|works|work|would|could|can|offers|offer|built|build|"
    r"published|helped|reviewed)\b)"
)
# a funder named by what it offers: "Vinnova's Innovative Startups call, Nordic Innovation's climate programmes"
_FUNDER_OWN = re.compile(
    rf"(?<![\w@#/.'’-])(?P<org>[{LATIN_UP}][\w&-]*(?: [{LATIN_UP}][\w&-]*){{0,3}})['’]s (?:[\w-]+ ){{0,3}}?"
    r"(?:calls?|open calls?|programmes?|programs?|grants?|fellowships?|schemes?|funds?|awards?|prizes?|"
    r"residenc(?:y|ies)|accelerators?|incubators?|funding|seed funding|bursar(?:y|ies)|scholarships?)\b"
)
_FUNDING_CONTEXT = CueMatcher(
    r"\b(?:apply|applying|application|options?|fits?|worth|try|consider|look at|check out|deadlines?|eligible|"
    r"non-dilutive|funders?|funding|obvious|good bets?|best bets?|candidates)\b"
)
# the other items of a list a funder is in: ", and EIT Climate-KIC for the data angle"
_LIST_ITEM_ORG = re.compile(
    rf"(?:,|;|,? and|,? or|,? plus)\s+(?:also\s+)?(?:the\s+)?(?P<org>[{LATIN_UP}][\w&-]*(?: [{LATIN_UP}][\w&-]*){{0,3}})"
    r"(?=['’]s |\s+(?:for|on|if|when|in|or|and|y|et|und|o|ou|e|of)\b|\s*[,;.(]|\s*$)"
)
# an organisation as the subject, then "write to them": "Riksarkivet holds most of the records; write to them"
_ORG_RUN = (
    rf"[{LATIN_UP}][\w&.-]{{1,30}}(?:(?: (?:in|of|for|de|du|des|der|für|del|da|do|dos|das|di|della|&))? "
    rf"[{LATIN_UP}][\w&.-]*){{0,3}}"
)
# the verbs an organisation does things with, in the languages whose subject comes first ("X har", "X heeft",
# "X a un groupe", "X tiene"); a place may follow the name first ("X in Rotterdam heeft", "X à Lyon travaille")
_SUBJECT_VERBS = (
    r"holds|has|have|runs|run|funds|fund|offers|hosts|host|keeps|maintains|publishes|manages|supports|awards|"
    r"coordinates|curates|collects|archives|digiti[sz]ed|organi[sz]es|gives out|is|are|does|do|did|would|could|"
    r"will|ran|helped|answers|knows|works|financed|funded|"
    r"hat|haben|macht|fördert|organisiert|betreibt|sammelt|bietet|forscht|"  # de
    r"heeft|hebben|doet|organiseert|beheert|financiert|levert|biedt|"  # nl
    r"har|kör|körde|driver|finansierar|erbjuder|samlar|gör|delar ut|"  # sv
    r"ma|mają|robi|prowadzi|finansuje|organizuje|zbiera|"  # pl
    r"tiene|tienen|hizo|organiza|financia|agrupa|ofrece|gestiona|"  # es
    r"a(?= (?:un|une|des|déjà|plusieurs|monté|lancé|créé)\b)|ont|fait|finance|travaille|gère|propose|distribue|"
    r"tem|têm|faz|oferece|distribui|"  # pt
    r"hanno|organizza|finanzia|offre|gestisce|coordina|segue"  # it
)
_SUBJECT_ARTICLE = r"(?:(?:The|Die|Der|Das|Het|De|La|Le|El|Il|Lo|O|A) |L['’])"
_ORG_SUBJECT = re.compile(
    rf"(?:^(?:@[\w.-]{{1,60}}\s{{1,3}}){{0,5}}|(?<=[.!?;:,]\s)|(?<=\band\s)|(?<=\n))(?:{_SUBJECT_ARTICLE})?(?P<org>{_ORG_RUN})"
    rf"(?: and (?P<org2>{_ORG_RUN}))?(?: (?:in|i|à|en|em|w|di) [{LATIN_UP}][\w-]{{1,30}})?(?: \([^()]{{2,60}}\))? "
    r"(?:both |also |all |probably |definitely |really |already |ya |déjà |já |al |redan |schon |już |già )?"
    rf"(?:{_SUBJECT_VERBS})\b"
)
# pronouns and sentence words that start a clause in these languages, never an organisation's name
_SUBJECT_NOT_ORG = frozenset(
    """det den dom han hon jag vi ni hij zij ze ik wij jullie dit dat er ich wir sie ihr es elle il ils elles on
    ça cela ele ela eles elas isso isto ela ellos ellas esto eso esta este quello questo lui lei loro ona ono oni
    to ja my wy mój moja min mitt mina mijn mein meine mon ma mes mi mis meu minha warto worth vale merece lohnt
    escríbeles escríbele pregúntales écrivez contactez kontakta skriv schreib napisz""".split()
)
# "is who you talk to", "is the obvious partner", "would love this": the subject is recommended as it stands
_ORG_PREDICATE = re.compile(
    r"(?i:\s(?:is|are) (?:who|the (?:people|place|team|org\w*|obvious \w+|natural \w+|best \w+|right \w+|one)) "
    r"(?:you|to|for|i'?d)\b|\s(?:is|are) the (?:obvious|natural|best|right) (?:partner|contact|place|people|team)\b|"
    r"\swould (?:probably |definitely |really )?love (?:this|to)\b)"
)
_TITLE_AND_BEFORE = re.compile(rf"[{LATIN_UP}][\w-]* (?:and|&|of) $")
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
_THEM_CONTACT = CueMatcher(*union(lambda c: c.them_contact))
_VERB_WORDS = frozenset(w for w in union(lambda c: tuple(c.not_name)) if w.isalpha()) | _NOT_NAME
_ORG_SUFFIX_WORDS = frozenset(_ORG_SUFFIX.split("|"))
# an organisation's name rather than a person's: an acronym, a dot, a digit or a connector inside
_ORG_SHAPED = re.compile(r"[A-Z]{2}|\.\w|\d| (?:in|of|for|de|du|des|der|für|&) ")
_KIND_WORDS = ORG_WORDS | {w.lower() for w in _ORG_SUFFIX_WORDS}
_PLACE_TAIL = re.compile(
    rf" (?:in|i|à|en|em|w) [{LATIN_UP}][\w-]+$"
)  # "Blonk Consultants in Gouda": the place


def _without_place(org: str) -> str:
    """The name without a place after it, unless that leaves a sentence word and one more ("Our World in Data")."""
    bare = _PLACE_TAIL.sub("", org)
    return org if bare.startswith(("Our ", "The ")) else bare


def _kind_named(org: str) -> bool:
    """A kind word in the name ("Centro Fermi", "Else Kröner-Fresenius-Stiftung"): an organisation, not a person."""
    return any(part.lower() in _KIND_WORDS for word in org.split() for part in word.split("-"))


_HELPFUL = CueMatcher(
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
_CAPITAL_WORD_NEXT = re.compile(rf" [{LATIN_UP}][{LATIN_LO}]")
_ORG_LEADING = re.compile(r"^(?:(?:The|Also|Check|See|Try|And|Or|Plus|Both|Look|Post|Apply|Ask)\s+){1,6}")


def _affiliation_before(text: str, start: int) -> bool:
    """Whether an organisation starting at `start` is someone's affiliation ("at the X", "del BC3 (X)")."""
    before = text[max(0, start - 40) : start]
    acronym = _ACRONYM_OPEN.search(before)  # "del BC3 (Basque Centre ...)": the expansion of an acronym
    if acronym:
        before = before[: acronym.start()]
    if _DEPARTMENT_OF.search(before):
        return False  # "mail de afdeling X van de gemeente Y": a department of Y is Y, reached
    if _OWN_TEAM_AT.search(before):
        return True  # "Hannah Ode and her team at X": X is where the person works, not a second referral
    if _CONTACT_AT.search(before) or _STAFF_BEFORE.search(before):
        return False  # "the people at the X": the X is who to contact
    if _HELD_AT.search(before):
        return True  # "the logs went to the British Library": where material is, not who to ask
    return bool(_AFFILIATION_BEFORE.search(before[-20:]))


_NOISE_WORDS = (
    _NOT_NAME | GENERIC_CAPS
)  # words that start a capitalised run without being part of an org name
_ORG_LIKE = {"openai", "deepmind"}  # well-known names written in lower case that still mean the organisation


class _Reply:
    """The text being read, with the whole-text cues several steps ask about (each searched once, on demand)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lower = text.lower()

    @cached_property
    def contact_anywhere(self) -> bool:
        return _CONTACT_ANYWHERE.search(self.text)

    @cached_property
    def them(self) -> bool:
        return _THEM_CONTACT.search(self.text)

    @cached_property
    def helpful(self) -> bool:
        return _HELPFUL.search(self.text)

    @cached_property
    def funding(self) -> bool:
        return _FUNDING_CONTEXT.search(self.text)


@dataclass
class _Found:
    """The organisations kept so far, their names, and the spans of text already read as organisations."""

    out: list[Referral] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    names: set[str] = field(default_factory=set)

    def keep(self, org: str) -> None:
        self.names.add(org)
        self.out.append(Referral(None, org, None, "org"))

    def add(self, org: str, start: int, end: int) -> None:
        self.spans.append((start, end))
        self.keep(org)

    def covers(self, start: int) -> bool:
        return any(a <= start < b for a, b in self.spans)


def org_referrals(text: str) -> tuple[list[Referral], list[tuple[int, int]]]:
    """Organisations the text recommends contacting, and the spans read as organisations (for `names`)."""
    reply, found = _Reply(text), _Found()
    _keep_candidates(reply, found, _kinds_and_staff(reply))
    _keep_candidates(reply, found, _orgs_then_plural(reply))
    _by_suffix(reply, found)
    _well_known(reply, found)
    _keep_candidates(reply, found, [*_funders(reply), *_subjects(reply), *_staff(reply)])
    _keep_candidates(reply, found, _acronyms(reply, found))
    _desks_labs_teams_of(reply, found)
    _teams(reply, found)
    return found.out, found.spans


# an organisation by its kind in other languages, when the reply says to contact someone: the kind first
# ("Cooperativa de Pescadores de X", "Fundacja X", "Yayasan X") or last ("Yeşil X Derneği"); and "the people at X"
# in each language's words (`staff_of`)
_CONNECTOR = (
    r"(?:de|da|do|dos|das|del|de la|di|della|dei|du|des|van|voor|für|för|dla|untuk|pour|y|e|et|i|och|en)"
)
_HEAD_WORDS = (
    r"Cooperativa|Coopérative|Cooperatieve|Spółdzielnia|Koperasi|Kooperatif|Asociación|Associação|Associazione|"
    r"Stowarzyszenie|Fundação|Fundacja|Stichting|Vereniging|Verein|Föreningen|Agencia|"
    r"Agência|Agenzia|Agence|Instituto|Istituto|Instytut|Subsecretaría|Secretaría|Secretaria|Ministerio|Ministério|"
    r"Dirección|Direção|Observatorio|Observatório|Laboratorio|Laboratório|Rede|Red|Consorcio|Federación|Federação|"
    r"Fédération|Confédération|Federazione|Syndicat"
)
_TAIL_WORDS = "|".join(
    sorted(
        {
            w.capitalize()
            for w in union(lambda c: tuple(c.org_words))
            if w.isalpha()
            and len(w) > 4
            and all(ord(ch) < 0x250 for ch in w)
            and w not in ("trung", "phòng")
            and w.capitalize() not in _ORG_SUFFIX_WORDS  # English suffixes: `_ORG` reads them, with "of ..."
        },
        key=len,
    )[::-1]
)
# English kinds `_ORG` does not read on its own: only right after a contact verb ("write to the X Union", not
# "the European Union funds this, ask your PI")
_ENGLISH_TAIL = (
    "Co-op|Cooperative|Authority|Union|Ltd|GmbH|Inc|Company|Corporation|Board|Secretariat|Federation|Coalition|"
    "Partnership|Service|Department|Directorate"
)
_TAIL_WORDS += "|" + _ENGLISH_TAIL
_ENGLISH_TAIL_END = re.compile(rf" (?:{_ENGLISH_TAIL})$")
_CONTACT_JUST_BEFORE = re.compile(
    f"(?:{'|'.join(union(lambda c: c.contact_org) + union(lambda c: c.contact_before_name))})"
    r"\s+(?:the\s+|la\s+|el\s+|le\s+|die\s+|das\s+|de\s+|het\s+|o\s+|a\s+)?$"
)
_WORD = rf"[{LATIN_UP}][\w-]{{1,30}}"
_KIND_ORG = re.compile(
    rf"(?<![\w@#/.-])(?P<head>(?:{_HEAD_WORDS})(?: {_CONNECTOR})? {_WORD}(?:(?: {_CONNECTOR})? {_WORD}){{0,3}}"
    rf"|(?:Yayasan|Koperasi|Perkumpulan|Lembaga)(?: {_WORD}){{1,4}})"  # Indonesian: no connector ("di" is "in")
    rf"|(?<![\w@#/.'’-])(?P<tail>{_WORD}(?: {_WORD}){{0,3}} (?:{_TAIL_WORDS}))(?![\w-])"
)
# a city's administration, named by its kind word in lower case and the place: "de gemeente Utrecht", "la
# municipalidad de Rosario", "a prefeitura de Recife", "il comune di Parma", "la mairie de Lyon", "urząd miasta X"
_CITY_ORG = re.compile(
    rf"(?<![\w-])(?P<org>(?:gemeente|municipalidad de|municipio de|ayuntamiento de|alcaldía de|prefeitura de|"
    rf"câmara municipal de|comune di|mairie de|ville de|stadtverwaltung|urząd miasta|pemerintah kota|pemkot|"
    rf"kommun i) [{LATIN_UP}][\w-]+(?: [{LATIN_UP}][\w-]+)?)"
    rf"|(?<![\w-])(?P<tail>[{LATIN_UP}][\w-]+(?: [{LATIN_UP}][\w-]+)? (?:kommun|stad|Belediyesi|Büyükşehir Belediyesi))(?![\w-])"
    # German compounds: "das Umweltbundesamt", "beim Landesamt", "das Robert-Koch-Institut" is `_ORG`'s
    rf"|(?<![\w-])(?P<compound>[{LATIN_UP}][a-zäöüß]{{3,30}}(?:amt|behörde|ministerium|anstalt|kammer|verband))(?![\w-])"
)
_SOURCE_OR_WORKPLACE_BEFORE = re.compile(
    r"(?i:\b(?:according to|segundo|según|selon|secondo|laut|volgens|enligt|według|menurut|per|"
    r"work(?:s|ed)?|trabalh[oa]|trabaj[oa]|lavor[oa]|arbeite[t]?|travaille|werk[t]?|jobbar|pracuj[eę]|bekerja)"
    r"\s+(?:(?:at|for|in|na|no|em|en|a|para|per|presso|bei|beim|à|au|chez|bij|op|på|w|di)\s+)?(?:(?:the|la|el|a|o|der|die|das|"
    r"de|het|l['’])\s*)?$)"
)
_STAFF_OF_ANY = "|".join(union(lambda c: c.staff_of))
_STAFF_BEFORE = re.compile(rf"(?i:(?:{_STAFF_OF_ANY})\s*$)")
_CONTACT_ANY_LANGUAGE = CueMatcher(*union(lambda c: c.contact_org), *union(lambda c: c.contact_before_name))
_STAFF_OTHER = re.compile(
    rf"(?i:(?:{_STAFF_OF_ANY})\s*)"
    rf"(?P<org>[{LATIN_UP}][\w&-]{{1,30}}(?:(?: {_CONNECTOR})? [{LATIN_UP}][\w&-]*){{0,4}})"
)


# cheap literal gates (no leading \b, no IGNORECASE) before the three scans above
_KIND_GATE = re.compile(
    f"{_HEAD_WORDS}|Yayasan|Koperasi|Perkumpulan|Lembaga|{_TAIL_WORDS}|amt\\b|behörde|ministerium|"
    "anstalt|kammer|verband|kommun|stad\\b|Belediyesi"
)
_CITY_GATE = re.compile(
    r"gemeente|municip|ayuntamiento|alcaldía|prefeitura|câmara municipal|comune di|mairie|ville de|stadtverwaltung|"
    r"urząd miasta|pemerintah kota|pemkot|kommun|stad\b|belediyesi|amt\b|behörde|ministerium|anstalt|kammer|verband"
)
_STAFF_GATE_OTHER = re.compile(
    r"mensen|collega|lui |pessoal|gente|pessoas|personas|chicos|equipo|gens|équipe|collègues|leute|kolleg|persone|"
    r"ragazzi|quelli|folk|personerna|ludzi|osoby|zespo|orang|teman|tim |kawan"
)


def _kinds_and_staff(reply: _Reply) -> list[tuple[str, int, int]]:
    """Organisations by their kind word, or as "the people at X", in a reply that says to contact someone."""
    kinds = _KIND_GATE.search(reply.text) is not None
    city = _CITY_GATE.search(reply.lower) is not None
    staff = _STAFF_GATE_OTHER.search(reply.lower) is not None
    if not (kinds or city or staff) or not (
        reply.contact_anywhere or reply.them or _CONTACT_ANY_LANGUAGE.search(reply.lower)
    ):
        return []
    cands = [(m.group("org"), m.start("org"), 0) for m in _STAFF_OTHER.finditer(reply.text)] if staff else []
    found = [
        *(_KIND_ORG.finditer(reply.text) if kinds else ()),
        *(_CITY_ORG.finditer(reply.text) if city else ()),
    ]
    for m in found:
        g = next(g for g in ("head", "tail", "org", "compound") if m.re.groupindex.get(g) and m.group(g))
        tokens, start = _without_leading_noise(
            m.group(g), m.start(g)
        )  # "Try X Ltd": the verb is not the name
        before = reply.text[max(0, start - 40) : start]
        if _ENGLISH_TAIL_END.search(m.group(g)) and not _CONTACT_JUST_BEFORE.search(before.lower()):
            continue
        if _ORG_CITED_AFTER.match(reply.text, m.end(g)) or _SOURCE_OR_WORKPLACE_BEFORE.search(before):
            continue  # "the X dataset", "según la X", "trabalho na X": a source or the replier's employer
        cands.append((" ".join(tokens), start, 0))
    return cands


# an organisation by the plural that follows it: a contact verb, one to three capitalised words (an optional place
# after "in"), then a clause whose subject is "they" ("talk to X in Y, they ...", "vraag het aan X, die hebben ...",
# "prata med X, de ...", "chiedi a X, hanno ...", "contactez X, ils ..."); one person would be "he"/"she"
_PLURAL_NEXT = (
    r"they|they're|they've|die hebben|die doen|zij|ze hebben|de har|de driver|de bytte|de kan|de är|de gör|"
    r"ils|elles|hanno|sono|fanno|tienen|hacen|ellos|eles|têm|fazem|mereka|sie haben|die haben"
)
_PLURAL_GATE = re.compile(rf"[,;.] (?:and |en |och |e |y |et |und )?(?:{_PLURAL_NEXT})\b")
_ORG_THEN_PLURAL = re.compile(
    f"(?i:(?:{'|'.join(union(lambda c: c.contact_org) + union(lambda c: c.contact_before_name))})"
    r"\s+(?:the |la |le |el |de |het |die |das |dem |den |o |a |l['’])?)"
    rf"(?P<org>[{LATIN_UP}][\w&-]{{1,30}}(?: (?:of|for|de|du|des|der|per|för|van|voor|für|dla|di|della|del)"
    rf" [{LATIN_UP}][\w&-]{{1,30}}| [{LATIN_UP}][\w&-]{{1,30}}){{0,3}})"
    rf"(?: (?:i|in|en|em|à|a|w|di|at|bij|på) [{LATIN_UP}][\w-]{{1,30}})?"
    rf"[,;.] (?:and |en |och |e |y |et |und )?(?:{_PLURAL_NEXT})\b"
)


_DESK_WORDS = frozenset(
    "support sales billing admin legal security help helpdesk service reception customer hr it".split()
)


def _orgs_then_plural(reply: _Reply) -> list[tuple[str, int, int]]:
    """ "Ask X, they ...": capitalised words right after a contact verb, then a plural subject."""
    if not _PLURAL_GATE.search(reply.lower):
        return []
    out = []
    for m in _ORG_THEN_PLURAL.finditer(reply.text):
        words = m.group("org").lower().split(" ")
        if words[0] in _DESK_WORDS or words[-1] in _DESK_WORDS:
            continue  # "Contact Support, they'll reset it": a desk, not a name
        if m.group("org").lower() not in _VERB_WORDS and not NOT_CONTACT_BEFORE.search(
            reply.text, max(0, m.start("org") - 45), m.start("org")
        ):  # "don't ask X, they never answer"
            out.append((m.group("org"), m.start("org"), m.end("org")))
        if len(out) >= MAX_HANDLES:
            break
    return out


def _by_suffix(reply: _Reply, found: _Found) -> None:
    """Organisations by their shape: a capitalised run with an organisation word ("Stiftung Mercator")."""
    text = reply.text
    if not _ORG_GATE.search(reply.lower):
        return
    titles = [m.span() for m in QUOTED_TITLE.finditer(text)]
    for m in _ORG.finditer(text):
        lead = _ORG_LEADING.match(m.group(0))
        start = m.start() + (lead.end() if lead else 0)
        name = text[start : m.end()].strip()
        if found.covers(start) or any(name and name in n for n in found.names):
            continue  # "Fundación Tierra" inside "Fundación Tierra Viva", read by its kind already
        found.spans.append((m.start(), m.end()))
        if not name or _affiliation_before(text, start) or _ORG_CITED_AFTER.match(text, m.end()):
            continue
        if name in _ORG_SUFFIX_WORDS or any(a < start < b for a, b in titles):
            continue  # "The Archive" alone, or words of a quoted title: "The Archive and the Algorithm"
        found.keep(name)


def _well_known(reply: _Reply, found: _Found) -> None:
    """Well-known organisations, when the reply is about reaching, praising or applying to someone."""
    text = reply.text
    known = list(_KNOWN_ORG_RX.finditer(text))
    if not known or not (reply.contact_anywhere or reply.them or reply.helpful or reply.funding):
        return  # a well-known name in passing ("an episode with someone from X") is not a referral
    for m in known:
        if found.covers(m.start()):
            continue
        word = m.group(1)
        if _CAPITAL_WORD_NEXT.match(text, m.end()):
            continue  # "the Wellcome Collection": part of a longer name
        if word.islower() and word.lower() not in _ORG_LIKE:
            continue  # "santa fe" lower-case is prose, not the institute
        if _affiliation_before(text, m.start()) or _ORG_CITED_AFTER.match(text, m.end()):
            continue
        found.keep(_KNOWN_ORGS[word.lower()])


def _list_after(text: str, end: int) -> list[tuple[str, int, int]]:
    """The other organisations of a list that continues at `end`, up to the end of the sentence."""
    sentence_end = text.find(".", end)
    tail = text[end : sentence_end if sentence_end >= 0 else len(text)][:200]
    return [(m.group("org"), end + m.start("org"), 0) for m in _LIST_ITEM_ORG.finditer(tail)]


def _funders(reply: _Reply) -> list[tuple[str, int, int]]:
    """Funders named by what they offer ("Vinnova's Innovative Startups call"), and the rest of their list."""
    text = reply.text
    if not (("'s " in text or "’s " in text) and reply.funding):
        return []
    funders = [(m.group("org"), m.start("org"), m.end()) for m in _FUNDER_OWN.finditer(text)]
    if funders:  # the other items of the same list are funders too
        funders += _list_after(text, funders[-1][2])
    return funders


def _subjects(reply: _Reply) -> list[tuple[str, int, int]]:
    """An organisation as a subject that the reply then recommends: "Riksarkivet holds it; write to them"."""
    text, them = reply.text, reply.them
    if not (them or _ORG_PREDICATE_GATE.search(reply.lower)):
        return []
    cands: list[tuple[str, int, int]] = []
    for m in _ORG_SUBJECT.finditer(text):
        if them or _ORG_PREDICATE.match(text, m.end() - len(m.group(0).rsplit(" ", 1)[-1]) - 1):
            for g in ("org", "org2"):
                org = m.group(g)
                if g == "org" and org and _TITLE_AND_BEFORE.search(text, max(0, m.start(g) - 30), m.start(g)):
                    continue  # "a review in Building and Environment is the one": the end of a title
                if (
                    org
                    and not org.isupper()
                    and (org.lower() in _VERB_WORDS or org.lower() in _SUBJECT_NOT_ORG)
                ):
                    continue  # "Napisz do niej": a contact verb starting a sentence, not an organisation
                if org and (
                    " " not in org or _ORG_SHAPED.search(org) or _kind_named(org)
                ):  # not "Maria Lopez has"
                    cands.append((_without_place(org), m.start(g), 0))
    return cands


def _staff(reply: _Reply) -> list[tuple[str, int, int]]:
    """Staff of an organisation ("the folks at Mozilla", "the Met Office's archive team"), if reachable."""
    text = reply.text
    if not (_STAFF_GATE.search(reply.lower) and (reply.them or reply.contact_anywhere or reply.helpful)):
        return []
    cands: list[tuple[str, int, int]] = []
    for m in _STAFF_OF_ORG.finditer(text):
        g = "org" if m.group("org") else "own" if m.group("own") else "acr"
        org = m.group(g)
        the = org.startswith(("The ", "the ")) or text[max(0, m.start(g) - 4) : m.start(g)] in (
            "The ",
            "the ",
        )
        if g != "own" or " " not in org or _ORG_SHAPED.search(org) or the:
            cands.append((org, m.start(g), 0))
    return cands


def _without_leading_noise(org: str, start: int) -> tuple[list[str], int]:
    """The words of a candidate without leading sentence words ("Also Wellcome"), and where it then starts."""
    tokens = org.split(" ")
    while (
        tokens
        and not tokens[0].isupper()
        and tokens[0].lower() in _NOISE_WORDS
        and not (tokens[0] == "Our" and _ORG_SHAPED.search(org))  # "Our World in Data"
    ):
        start += len(tokens[0]) + 1
        tokens = tokens[1:]
    return tokens, start


def _keep_candidates(reply: _Reply, found: _Found, cands: list[tuple[str, int, int]]) -> None:
    """Keep the organisation names that are not generic, already found or someone's affiliation."""
    for org, at, _end in cands[:MAX_HANDLES]:
        tokens, start = _without_leading_noise(org, at)
        name = " ".join(tokens)
        if not tokens or name in found.names or name.lower() in _GENERIC_ACRONYMS:
            continue
        if any(
            t.lower() in GENERIC_CAPS for t in tokens if not t.islower() and not t.isupper() and t != "Our"
        ):
            continue
        if found.covers(start) or any(name in n or n in name for n in found.names if n):
            continue
        if not _affiliation_before(reply.text, start):
            found.add(name, start, start + len(name))


def _acronyms(reply: _Reply, found: _Found) -> list[tuple[str, int, int]]:
    """Acronyms after a contact verb or as funders ("ask the folks at KNMI", "NWO funds ..."); returns the
    other items of their lists ("Try KNMI, DWD or Météo-France") as candidates."""
    text = reply.text
    if not (
        _ACRONYM.search(text)
        and (
            reply.contact_anywhere
            or _ACRONYM_PEOPLE_GATE.search(reply.lower)
            or _FUNDER_VERB_GATE.search(text)
        )
    ):
        return []
    listed: list[tuple[str, int, int]] = []
    for m in _ACRONYM_ORG.finditer(text):
        g = "org" if m.group("org") else "funder"
        org = m.group(g)
        if org.lower() in _GENERIC_ACRONYMS or org in found.names or found.covers(m.start(g)):
            continue
        if g == "org" or not _affiliation_before(text, m.start(g)):
            found.add(org, m.start(g), m.end(g))
            if g == "org":
                listed += _list_after(text, m.end(g))
    return listed


def _desks_labs_teams_of(reply: _Reply, found: _Found) -> None:
    """Help desks, labs and teams of an acronym ("ECMWF's user support desk", "the Nyström lab does ...")."""
    text, lower = reply.text, reply.lower
    extra: list[tuple[str, int]] = []
    if _DESK_GATE.search(lower):
        extra += [(m.group("a") or m.group("b"), m.start()) for m in _DESK_ORG.finditer(text)]
    if _LAB_GATE.search(lower):
        extra += [(m.group("org"), m.start("org")) for m in _LAB_ORG.finditer(text)]
    if reply.contact_anywhere and _ACRONYM.search(text):
        extra += [(m.group("org"), m.start("org")) for m in _TEAM_OF_ORG.finditer(text)]
    for org, start in extra:
        if org.lower() in _GENERIC_ACRONYMS or org in found.names or found.covers(start):
            continue
        if org.split(" ")[0].lower() in _NOT_NAME or _affiliation_before(text, start):
            continue
        found.add(org, start, start + len(org))


def _teams(reply: _Reply, found: _Found) -> None:
    """A named team when the reply says to contact someone ("The Zooniverse team ran it. Email them.")."""
    text = reply.text
    if not (reply.contact_anywhere and _TEAM_GATE.search(reply.lower)):
        return
    for m in _TEAM_ORG.finditer(text):
        tokens = m.group("org").split(" ")
        while tokens and tokens[0].lower() in _NOISE_WORDS:
            tokens = tokens[1:]
        org = " ".join(tokens)
        if (
            not tokens
            or any(t.lower() in _GENERIC_ACRONYMS | GENERIC_CAPS for t in tokens)
            or org in found.names
        ):
            continue
        if found.covers(m.start()) or _affiliation_before(text, m.start()):
            continue
        found.add(org, m.start(), m.end())
