"""Swedish cue phrases: regex alternatives, each searched in lower-cased text (pure data)."""

from bot.understand.lang.base import Cues

CUES = Cues(
    code="sv",
    stop_words=frozenset(
        "och att det är som på för med jag inte har av till kan om men du vi ett den så var också eller".split()
    ),
    question_words=("vad", "hur", "varför", "vem", "vilken", "vilka", "när", "finns"),
    injection=(r"\bignorera (?:alla )?(?:tidigare|föregående) instruktioner\b",),
    spam=(
        r"\b(?:köp|köper) (?:\d+ )?följare\b",
        r"\bbara \d+ ?kr\b",
        r"\btjäna \d[\d.,]*\s?(?:kr|kronor) om dagen\b",
    ),
    abuse=(
        r"\b(?:korkad|dum i huvudet|patetisk(?:a)? (?:människa|typ)|skäms på dig)\b",
        r"\b(?:idiot(?:er)?|pucko|dumhuvud|håll käften|fan ta dig|jävla (?:idiot|clown)\w*)\b",
        r"\bgå tillbaka till skolan\b",
        r"\bdu har ingen (?:aning|koll)\b",
        r"\b(?:du är|ni är) (?:så |bara )?(?:patetisk\w*|löjlig\w*|en bedragare|en tjuv)\b",
        r"\bskäms på dig\b",
        r"\bsluta (?:tigga|gnälla)\b|\blata människ\w*",
        r"\b(?:pinsamt|löjligt)\b(?! (?:bra|enkelt|lätt|billigt|snabbt|mycket|många|få|lite|stor|stort|gott|roligt|vackert|snyggt|smidigt|bekvämt)\b)",
        # round 7: the name-call "din pajas" / "ditt pucko", "stop nagging", "you are so damn tiresome", "nobody
        # cares" (not "nobody cares about ...": a statement), "pathetic" closing the reply
        r"\b(?:din|ditt) (?:jävla |dumma |förbannade )?(?:pajas|idiot|pucko|fjant|tönt|dumskalle|jubelidiot|clown|svin|as)(?![\w-])",
        r"\bsluta tjata\b",
        r"\b(?:du är|ni är) (?:så |bara )?(?:jävla |förbannat )?(?:tröttsam\w*|jobbig\w*|värdelös\w*|korkad\w*|efterbliv\w*)\b",
        r"\bingen bryr sig\b(?! om)",
        r"(?:^|[.!?,]\s*|\s)patetiskt[.!]*\s*$",
        # round 8: 'what a damn vulture', 'shame on you' as a sentence
        r"\bvilken (?:jävla )?(?:gam|parasit|idiot|clown|pajas)\b",
        r"^\s*skäms\b",
        r"[.!]\s*skäms\s*[.!]*\s*$",
    ),
    offer=(
        r"\b(?:delar|skickar|hjälper|berättar|visar|introducerar|presenterar|tipsar|läser|testar|granskar|ställer) (?:\w+ )?gärna\b",
        r"\bjag kan (?:\w+ )?(?:ställa upp|testa|läsa|granska|titta)",
        r"\bom du vill (?:kan|så kan) jag\b",
        r"\bjag kan (?:gärna |också |absolut )?(?:skicka|dela|hjälpa|introducera|presentera|koppla ihop|visa)\b",
        r"\bhör (?:gärna )?av dig\b(?! till)",
        r"\bskicka (?:gärna )?(?:ett )?(?:dm|meddelande|mejl|pm)\b",
        r"\b(?:mejla|maila|skriv till) mig\b",
        r"\bjag (?:hjälper|delar|ställer upp|berättar) gärna\b",
        r"\bvi kan (?:gärna )?(?:ses|ta ett samtal|prata|höras)\b",
        r"\bdu är (?:varmt )?välkommen\b",
        r"\bskicka gärna\b",
        r"\bså (?:ger|tittar|hjälper|skickar) jag\b",
        r"\bjag kan (?:gärna )?(?:skicka|hjälpa|titta|dela|presentera)\b",
        r"\bhör av dig\b(?! till)",
        r"\bskicka (?:ett )?(?:mejl|mail|dm)\b",
        # round 6: volunteering, 'räkna med mig', 'vi tar gärna emot'
        r"\bjag ställer (?:gärna )?upp\b|\bvi (?:tar|ställer) gärna (?:emot|upp)\b|\bräkna med (?:mig|oss)\b",
        r"\b(?:jag är|vi är) intresserade?\b|\b(?:jag|vi) kan bidra\b|\bjag bidrar gärna\b",
        r"\b(?:dm|pm):?a mig\b|\bskriv (?:ett )?pm\b|\bvi kan (?:ta emot|erbjuda|låna ut)\b",
        r"\bhojta (?:till|om)\b|\bslå en signal\b|\b(?:ta|tar) en fika\b",
        # round 8: 'can send it'
        r"\bkan skicka (?:den|dem|det|mallen|filen|materialet)\b",
    ),
    critique=(
        r"\b(?:en )?(?:försiktig|liten) (?:invändning|reservation)\b",
        r"\binvändning\b",
        r"\bräcker inte\b",
        r"\bmen (?:problemet|frågan) är\b",
        r"\bjag håller inte med\b",
        r"\bjag tror inte (?:att|på)\b",
        r"\b(?:premissen|utgångspunkten|antagandet) (?:är|känns) (?:fel|tveksam|felaktig)",
        r"\bdet stämmer inte\b",
        r"\bjag är inte (?:helt )?övertygad\b",
        r"\bfel fråga\b",
        r"\bmed all respekt\b",
        r"\bfrågan är (?:lite |ganska |helt )?fel ställd\b",
        r"\bspelar mindre roll än\b",
        r"\bjag är (?:lite |ganska )?skeptisk\b",
        r"\bproblemet är inte\b",
        r"^\s*problemet är att\b",
        r"\bpremissen håller inte\b|\bfrågan är (?:lite |ganska )?(?:missvisande|fel)\b|\bdålig idé\b|\bdet är två jobb\b",
        # round 6: 'frågan missar', 'du underskattar', 'risken med sådana', 'tveksam'
        r"\b(?:frågan|förslaget|upplägget|planen) missar\b|\bmissar poängen\b",
        r"\b(?:du|ni|man) (?:underskattar|överskattar)\b",
        r"\bvarför (?:allt|så mycket) fokus på\b",
        r"\brisken med (?:sådana|sådan|sånt|sånna|det här|detta|den här|att)\b",
        r"\b(?:jag är|är) (?:lite |ganska |väldigt )?tveksam\b|\btveksamt\b|\binte så enkelt\b",
        r"\bslöseri med\b|\bbortkastad\w*\b|\bfel (?:väg|fokus|ände)\b|\borealistisk\w*\b|\bnaivt\b",
        r"^\s*(?:ärligt talat|ärligt sagt|uppriktigt sagt)\b",
        r"^\s*nja\b|\bjag ser inte poängen\b|\bvad är poängen med\b",
        # round 7: 'Ärligt:' opening, 'varför alltid'
        r"^\s*ärligt\s*[:,!]|\bvarför alltid\b",
        # round 8: 'the question presupposes'
        r"\bfrågan förutsätter\b",
    ),
    resource_nouns=(
        r"\b(?:bok|boken|arkiv|arkivet|arkivets|rapport|rapporten|databas|databasen|handbok|handboken|samling|samlingen|insamling|artikel|avhandling|frågelistor)\b",
        # round 6: reading, newsletters, podcasts, guides, open data
        r"\b(?:läsning|nyhetsbrev\w*|podd\w*|blogg\w*|sajt\w*|webbplats\w*|kurs(?:en|er)?|guide(?:n|r)?|sammanfattning\w*|öppna data|dataset\w*|utvärdering(?:en|ar|arna)|vägledning\w*|skrift\w*)\b",
        r"\bkolla in\b",
        # round 7: reports and archive databases in any form, 'free to download'
        r"\b(?:rapporter(?:na)?|arkiv\w*|databas\w*)\b|\bladda (?:ner|hem)\b",
    ),
    senior_bio=(
        r"\b(?:barnmorska|epidemiolog|bryggerichef|överläkare)\b",
        r"\b(?:expert|specialist|statistiker|konsult|analytiker)\b",
        r"\b(?:lantbrukare|bonde|mjölkbonde|\w*odlare|(?:mjölk|lant)gård)\b",
        # round 8: clinical, language and fishing trades
        r"\b(?:\w*sköterska|läkare|apotekare|tolk|översättare|fiskare)\b",
    ),
    experience=(
        r"\bvi har (?:gjort|testat|provat|använt)\b",
        r"\bvi har kört\b",
        r"\bvi har (?:mätt|använt|installerat)\b",
        r"\bvi (?:kräver|använder|tappade|körde|filtrerar|mätte|har)\b|\bhos oss\b",
        # round 6: 'på vår gård', 'vi testade'
        r"\bpå (?:vår|min) (?:gård|avdelning|arbetsplats|klinik|skola)\b|\bi vår (?:kommun|förening|grupp)\b",
        r"\bvi (?:gjorde|testade|provade|byggde|införde)\b|\bjag har (?:jobbat|arbetat) med\b",
    ),
    them_contact=(
        r"\b(?:mejla|maila|kontakta|skriv till|fråga) (?:dem|dom)\b",
        # round 6: 'hör av dig till dem', 'ring dem'
        r"\b(?:hör av dig|skicka ett mejl) till (?:dem|dom)\b|\bring (?:dem|dom)\b",
        # round 7: "write to them" after an organisation named as the subject
        r"\b(?:kontakta|mejla|maila|ring) (?:en |deras )?(?:handläggar(?:e|en)|kansli(?:et)?)\b|\bskicka ett mejl till deras\b",
        # round 9: "write to them" after an organisation named as the subject
        r"\b(?:mejla|maila|kontakta|ring) handläggarna\b|\bhör av dig till (?:kansliet|handläggarna|dem)\b",
    ),
    contact_before_handle=(r"\bprata med", r"\bfråga", r"\bkontakta", r"\bhör av dig till", r"\bskriv till"),
    contact_before_name=(
        r"\bprata med",
        r"\bkolla med",
        r"\bhör med",
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
        r"\blåter kul\b",
        r"\bvad kul\b",
        r"\bser fram emot\b",
        r"\bbra idé\b",
        # round 6: thanks, agreement, laughter
        r"\b(?:tack för|tusen tack|instämmer|exakt så|precis så|haha\w*|bokmärker|sparar tråden|vad roligt|så kul|kul idé)\b",
    ),
    not_contact=(
        r"\b(?:fråga|kontakta|mejla|maila|skriv till) (?:inte|aldrig)|\b(?:fråga|kontakta|prata med) (?:för guds skull )?inte",
    ),
    question_any=(
        r"\b(?:eller|vad|hur|varför|vem|vilken|vilka|när|finns)\b",
        # round 6: a yes/no question by inversion ('Har ni testat ...?', 'Kan man ...?')
        r"\b(?:har|är|kan|ska|vill|gör|får|behöver|använder|menar) (?:ni|du|man|det)\b",
    ),
    contact_pronoun=(
        r"\b(?:mejla|maila|kontakta|fråga|ring) (?:henne|honom)\b",
        r"\b(?:skriv till|prata med|hör av dig till) (?:henne|honom)\b",
    ),
    staff_of=(r"\b(?:folket|folk|personerna) (?:på|vid|hos)",),
)
