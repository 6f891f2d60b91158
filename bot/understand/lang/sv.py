"""Swedish cue phrases: regex alternatives, each searched in lower-cased text (pure data)."""

from bot.understand.lang.base import Cues

CUES = Cues(
    code="sv",
    stop_words=frozenset(
        "och att det är som på för med jag inte har av till kan om men du vi ett den så var också eller".split()
    ),
    question_words=("vad", "hur", "varför", "vem", "vilken", "vilka", "när", "finns"),
    injection=(),
    spam=(
        r"\b(?:köp|köper) (?:\d+ )?följare\b",
        r"\bbara \d+ ?kr\b",
    ),
    abuse=(
        r"\b(?:korkad|dum i huvudet|patetisk(?:a)? (?:människa|typ)|skäms på dig)\b",
        r"\b(?:idiot(?:er)?|pucko|dumhuvud|håll käften|fan ta dig|jävla (?:idiot|clown)\w*)\b",
    ),
    offer=(
        r"\b(?:delar|skickar|hjälper|berättar|visar|introducerar|presenterar|tipsar|läser|testar|granskar|ställer) (?:\w+ )?gärna\b",
        r"\bjag kan (?:\w+ )?(?:ställa upp|testa|läsa|granska|titta)",
        r"\bom du vill (?:kan|så kan) jag\b",
        r"\bjag kan (?:gärna |också |absolut )?(?:skicka|dela|hjälpa|introducera|presentera|koppla ihop|visa)\b",
        r"\bhör (?:gärna )?av dig\b",
        r"\bskicka (?:gärna )?(?:ett )?(?:dm|meddelande|mejl|pm)\b",
        r"\b(?:mejla|maila|skriv till) mig\b",
        r"\bjag (?:hjälper|delar|ställer upp|berättar) gärna\b",
        r"\bvi kan (?:gärna )?(?:ses|ta ett samtal|prata|höras)\b",
        r"\bdu är (?:varmt )?välkommen\b",
    ),
    critique=(
        r"\b(?:en )?(?:försiktig|liten) (?:invändning|reservation)\b",
        r"\binvändning\b",
        r"\bräcker inte\b",
        r"\bmen (?:problemet|frågan) är\b",
        r"\bjag håller inte med\b",
        r"\bjag tror inte (?:att|på)\b",
        r"\b(?:premissen|utgångspunkten|antagandet) (?:är|känns) (?:fel|tveksam|felaktig)",
        r"\bproblemet är inte\b",
        r"\bdet stämmer inte\b",
        r"\bjag är inte (?:helt )?övertygad\b",
        r"\bfel fråga\b",
        r"\bmed all respekt\b",
    ),
    resource_nouns=(
        r"\b(?:bok|boken|arkiv|arkivet|arkivets|rapport|rapporten|databas|databasen|handbok|handboken|samling|samlingen|insamling|artikel|avhandling|frågelistor)\b",
    ),
    senior_bio=(),
    experience=(r"\bvi har (?:gjort|testat|provat|använt)\b",),
    them_contact=(r"\b(?:mejla|maila|kontakta|skriv till|fråga) (?:dem|dom)\b",),
    contact_before_handle=(r"\bprata med", r"\bfråga", r"\bkontakta", r"\bhör av dig till", r"\bskriv till"),
    contact_before_name=(
        r"\bprata med",
        r"\bfråga",
        r"\bkontakta",
        r"\bhör av dig till",
        r"\b(?:mejla|maila)",
        r"\bskriv till",
        r"\bvänd dig till",
        r"\bta kontakt med",
        r"\bmin (?:\w+ )?(?:kollega|vän|handledare|chef)",
    ),
    contact_single=(),
    recommends=(r"\b(?:kontakta|fråga|prata med|hör av|mejla|maila|skriv till|vänd dig|expert)",),
    contact_org=(r"\bkontakta", r"\bfråga", r"\bskriv till", r"\bvänd dig till", r"\bhör av dig till"),
    not_name=frozenset("prata fråga kontakta mejla maila skriv hör".split()),
    social=(
        r"\b(?:bra|grym|intressant|spännande) fråga\b",
        r"\blycka till\b",
        r"\bsnyggt\b",
        r"^\s*tack\b",
        r"\btack så mycket\b",
        r"\bhåller (?:helt )?med\b",
        r"\bföljer (?:tråden|med)\b",
        r"\bså sant\b",
        r"\bgrattis\b",
        r"\bheja\b",
    ),
    not_contact=(
        r"\b(?:fråga|kontakta|mejla|maila|skriv till) (?:inte|aldrig)|\b(?:fråga|kontakta|prata med) (?:för guds skull )?inte",
    ),
    question_any=(r"\b(?:eller|vad|hur|varför|vem|vilken|vilka|när|finns)\b",),
    contact_pronoun=(
        r"\b(?:mejla|maila|kontakta|fråga|ring) (?:henne|honom)\b",
        r"\b(?:skriv till|prata med|hör av dig till) (?:henne|honom)\b",
    ),
    staff_of=(r"\b(?:folket|folk|personerna) (?:på|vid|hos)",),
)
