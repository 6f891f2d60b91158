"""People named without a handle, found by how names are written rather than by a list of names (pure).

A reply often routes the reader to someone it cannot @-mention: "Dr. Ilse de Wit (Utrecht)", "my former manager
Rosa Lindgren-Achebe", "Bas de Vries van Foodchain Insights", "山本先生が…". `named_people()` finds such names
from their shape (capitalised tokens with name particles and accents, an honorific, or a CJK name with an
honorific suffix) and keeps the ones the text recommends: a contact verb or a role ("ask", "praat met", "my
colleague") before the name, an affiliation or a description after it ("at ETH", "(urban planning, Leeds)",
", privacy lawyer in Amsterdam", ", who ran…"), membership of a list whose other items qualify, or an honorific
in a reply that is about reaching someone. One given name alone counts only with a strong cue ("my colleague
Ivan", "Kim at the city library …, she'd know"). Cited authors ("by X", "X's 2019 paper", "X et al."),
negative and attributed mentions, thanks and greetings, stories about the replier ("my supervisor X made me
…") and people who left or retired are dropped. Every pattern here is linear in its input: no nested
unbounded repetition.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from bot.understand.cues import union

UP = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸŹŻŽȘȚ\u1e00-\u1efeƠƯ"  # Ơ Ư: Vietnamese (Thư, Hương)
LO = "a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĵķĺļľŀłńņňŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżžșț\u1e01-\u1effơư"

# Mc/Mac/O'/D' prefixes, inner capitals (DeWitt) and hyphenated parts (Asante-Mensah)
TOKEN = (  # Ji-woo, Min-jun: a short romanised given name with a lower-case second syllable
    rf"(?:[{UP}][{LO}]{{1,4}}-[{LO}]{{2,4}}(?![{LO}-])"
    rf"|(?:[{UP}]['’])?[{UP}][{LO}]+(?:[{UP}][{LO}]+)?(?:[-'’][{UP}][{LO}]+){{0,2}})"
)
PARTICLE = r"(?:de|del|della|dei|di|da|das|do|dos|du|van|von|der|den|ten|ter|la|le|bin|ben|al|el|zu|af|av|y)"
NAME = rf"{TOKEN}(?: [{UP}]\.)?(?: {TOKEN}){{0,2}}(?: {PARTICLE}){{0,3}} {TOKEN}"  # Jane A. Doe, Jan van der Meer
HONORIFIC = (
    r"(?:Dr|Dra|Drs|Prof|Profa|Profª|Professor|Professora|Profesor|Profesora|Professeur|Professorin|"
    r"Dott\.ssa|Dottssa|Prof\.ssa|Profssa|Dott|Frau|Herr|Mme|Mlle|Madame|Monsieur|Mr|Mrs|Ms|Mx|Sr|Sra|Srta|Sig\.ra|Dhr|Mevr|Ing|"
    r"Auntie|Aunty|Uncle)"
)


def _ending_with_a_word(alts: Sequence[str], tail: str) -> re.Pattern[str]:
    """`\\b(?:a|b|...)TAIL`, case-insensitive, with each alternative's own leading `\\b` factored out.

    `re` tries every alternative at every position; one shared `\\b` first makes it try them only where a word
    starts, which keeps the many window searches per reply cheap."""
    bare = [a[2:] if a.startswith("\\b") else a for a in alts]
    return re.compile(rf"\b(?:{'|'.join(bare)}){tail}", re.IGNORECASE)


_PLAIN = re.compile(rf"(?<![\w@./#-]){NAME}(?![\w@-])")
_AFTER_INITIAL = "(?:from|at|of|in|aus|an|vom|von|de|da|di)"
_INITIALS = rf"[{UP}]\.(?: ?[{UP}]\.)? {TOKEN}(?![\w@-]| {TOKEN})"
# "J. Okafor", "A. B. Achterberg", "R.K. Sethi"; "Kyle B. from the" (needs a cue like any plain name)
_INITIALLED = re.compile(rf"(?<![\w@./#-])(?:{_INITIALS}|{TOKEN} [{UP}]\.(?= {_AFTER_INITIAL}\b))")
# honorifics written out in lower case inside a sentence: "la doctora Martínez", "au professeur Lambert"
LOWER_HONORIFIC = (
    r"(?:doctora|doctor|docteure|docteur|professeure|professeur|professoressa|professora|profesora|profesor|"
    r"professor|dottoressa|dottore|dottor|dokter|doktor|herrn|frau|herr|señora|señor|signora|signor|madame|monsieur|"
    r"dr\.?|prof\.?|dra\.?)"
)
_HONOURED = re.compile(
    rf"(?<![\w@./#-])(?:{HONORIFIC}\.?|{LOWER_HONORIFIC}) (?:{HONORIFIC}\.? )?(?P<name>(?:[{UP}]\. ?){{0,2}}(?:{NAME}|{TOKEN}))(?![\w@-])"
)

# one given name alone ("my colleague Ivan", "Kim at the city library ..., she'd know") is a person only with a
# strong cue: a relationship word before it, or a contact verb or a team/lab affiliation plus a personal pronoun
_ROLE_WORDS = (
    r"colleague|friend|advisor|adviser|supervisor|mentor|student|postdoc|coauthor|co-author|labmate|collaborator|"
    r"boss|manager|teammate|cofounder|co-founder|contact|collègue|ami|amie|directeur|directrice|kollegin|kollege|"
    r"freundin|freund|betreuerin|betreuer|colega|amigo|amiga|directora|director|jefa|jefe|collega|amico|amica|"
    r"promotor|begeleider|vriend|vriendin|orientador|orientadora"
)
_SINGLE_ROLE = re.compile(
    r"(?i:\b(?:my|our|mon|ma|mein|meine|meinen|meiner|mi|il mio|la mia|mijn|onze|meu|minha|nosso|nossa) "
    rf"(?:[\w-]+ )?(?:{_ROLE_WORDS}),? )(?P<name>{TOKEN})(?![\w@-]|(?: {PARTICLE}){{0,3}} {TOKEN}| [{UP}]\.)"
)
_ROLE_GATE = re.compile(_ROLE_WORDS)  # literal words, searched in lower-cased text before _SINGLE_ROLE
_SINGLE_CONTACT = re.compile(
    f"(?i:(?:{'|'.join(union(lambda c: c.contact_single))}) )"
    rf"(?P<name>{TOKEN})(?![\w@-]|(?: {PARTICLE}){{0,3}} {TOKEN}| [{UP}]\.)"
)
_SINGLE_AFFILIATED = re.compile(
    rf"(?<![\w@./#-])(?P<name>{TOKEN}) (?:from|at|in|on|of) (?:the|our|my|their|your) (?:[\w-]+ ){{0,3}}?"
    r"(?:lab|team|group|library|archive|office|department|desk|museum|unit|project|institute|centre|center)\b"
)
_PERSON_STRONG = re.compile(
    r"(?i:\b(?:he|she)(?:'d|'s| would| is| has| knows| can| could| ran| runs| built| did| was)\b|"
    r"\b(?:ask|email|ping|contact|message|dm|call) (?:him|her)\b)"
)
# "Joost's lab at Wageningen has ... Ask him": a given name owning a lab or group, with a person cue after
_SINGLE_LAB = re.compile(
    rf"(?<![\w@./#-])(?P<name>{TOKEN})['’]s (?:lab|group|team|research group)\b(?= (?:at|in|from|of) [{UP}])"
)
_SINGLE_PLACED = re.compile(
    rf"(?<![\w@./#-])(?P<name>{TOKEN}) (?:from|at) (?:the|our|my) [{LO}][\w-]*(?: [{LO}][\w-]*){{0,2}}[ ,;]"
)
_PLURAL_VERB_NEXT = re.compile(
    r"[ ,]*(?:show|are|were|have|suggest|indicate|look|seem|say|confirm|support|agree|differ|vary)\b"
)
_PERSON_SIGNAL = re.compile(
    r"(?i:\b(?:he|she|him|her|his|hers|he'?s|she'?s|he'?d|she'?d)\b|\b(?:could|can|would|will|might) "
    r"(?:\w+ )?(?:help|walk|show|tell|explain|know|answer|point|share|introduce)\b)"
)

# words that start with a capital but are not parts of a person's name
COMMON_NOT_NAME = frozenset(  # shared with bot.understand.pipeline
    """the a an also and but or so if then this that these those there here it its my our your their his her
    he she they we you i me us them what who when where why how which yes no not ok hi hey thanks thank
    look check talk ask ping message email write reach contact meet follow try see read cite start come
    post tell both all some any one two three four five first second last next new old great best big small
    open honest current shameless practical relevant welcome careful genuine counterpoint slight whatever
    off from for with without at on in of to by about after before over under into via per
    lab labs group team university institute foundation society center centre school department college
    monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december spring summer autumn fall winter
    europe berlin paris tokyo zurich london jena exeter kyoto halle madrid lisbon
    sinon je tu il elle nous vous ils du die der das und oder ich er sie wir ihr es la le les el los las
    un une des lo gli io sono mi ti ci si ma pero pour avec dans und auch aber mit für
    dr prof professor mr mrs ms phd postdoc""".split()
)
NOT_NAME = (
    COMMON_NOT_NAME
    | frozenset(
        """just maybe praat vraag spreek schrijf mail bel neem fala fale pergunte escreva habla pregunta escríbele
        parla chiedi scrivi frag sprich schreib parlez demandez écrivez contactez contacte appelez mijn meu minha mio mon mein
        meine het een bij voor national royal international european american british swedish dutch german
        french spanish museum archive archives library index company project projects program programme data
        journal act law agency office network council fund trust board ministry service services book books
        paper review report survey conference workshop summit course honestly definitely seriously personally
        frankly probably perhaps otherwise alternatively additionally similarly obviously actually really
        basically certainly hopefully luckily unfortunately ideally absolutely sentite senti vale dann sonst
        alternativ vielleicht ansonsten también además quizás quizá igualmente talvez também misschien ook
        oppure forse magari peut-être aussi ou eventualmente conosco conheço connais connaissez conozco kenne
        kennst know knew na nas nos num numa pela pelo""".split()
    )
    | frozenset(_ROLE_WORDS.split("|"))
    | frozenset(w for ws in union(lambda c: tuple(c.not_name)) for w in [ws] if w.isascii())
)

_SHAPE_NOT_NAME_BASE = frozenset(w for w in union(lambda c: tuple(c.not_name)))
# capitalised words that start an affiliation rather than continue a name ("del Politecnico")
ORG_WORDS = frozenset(
    """universidad universidade università universität universiteit université university politecnico
    politécnico polytechnique hospital hospital instituto istituto institut institute museo museu musée
    centro centre center laboratorio laboratório laboratoire consejo conselho consiglio fundación fundação
    fondazione fondation stiftung academia accademia académie akademie escola escuela scuola école schule
    hochschule hogeschool arquivo archivo archivio archiv biblioteca bibliothèque bibliothek bibliotheek
    fundação fundación ministerio ministério ministero ministère ministerium cooperativa coopérative
    cooperatieve spółdzielnia koperasi kooperatif asociación associação associazione stowarzyszenie fundacja yayasan
    perkumpulan lembaga stichting vereniging verein föreningen agencia agência agenzia agence instytut subsecretaría
    secretaría secretaria dirección direção observatorio observatório consorcio federación federação""".split()
)
_CONTACT_BEFORE = _ending_with_a_word(
    union(lambda c: c.contact_before_name),
    r"(?:,)? (?:(?:the|a|la|el|o|a|de|het|il|die)\s)?(?:(?:group|grupo|groupe|gruppo|gruppe|groep|lab|laboratorio|"
    r"team|equipo|équipe|equipa)\s(?:of|de|di|du|von|van|do|da)\s)?$",
)
# "A few names: Lena Vogel, ..." (the first of a list the reply introduces as people to contact)
_LIST_INTRO = re.compile(
    r"(?i:\b(?:names?|people|folks|candidates|experts|researchers|contacts|nombres|namen|noms|nomi|nomes|personen|"
    r"personnes|personas|persone|pessoas|leute|gente|mensen)(?: [\w'’-]+){0,5}\s*[:—–-]\s*(?:[-*•·]|\d[.)])?\s*$"
    r"|\b(?:ask|try|contact|ping|email|recommend|talk to|reach out to|get in touch with|(?:talking|speaking|"
    r"writing|reaching out) to|asking|contacting)(?: [\w'’-]+){0,3}\s*:"
    r"\s*(?:[-*•·]|\d[.)])?\s*$)"
)
_AFFILIATED_AFTER = re.compile(
    rf"^,?\s+(?:(?:formerly|previously|now|currently|ex|over)[ -])?(?:at|from|of|van|bei|von|vom|del|de|du|des|da|do|della|dell['’]|di|chez|à|au|aus|am|an der|na|no|em|z|ze|från|vid|dari)"
    rf"\s+(?:(?:the|het|de|la|le|el|der|dem|den|die|o|a)\s+|l['’]\s*)?(?:[{UP}]|\d)"
    rf"|^,?\s+(?:dell|all|dall|de l|d)['’][{UP}]"
    rf"|^\s*\((?=[^()]{{2,80}}\))(?=[^()]*[{UP}])(?=[^()]*(?:,|[{LO}]{{3}}))"
)
ROLE = (
    r"(?:lawyer|attorney|professor|researcher|scientist|engineer|historian|economist|archivist|librarian|"
    r"curator|epidemiologist|consultant|analyst|lecturer|designer|developer|founder|director|manager|officer|"
    r"expert|specialist|statistician|physician|doctor|journalist|editor|ecologist|planner|climatologist|"
    r"meteorologist|investigador|investigadora|profesora|profesor|historiador|historiadora|ingeniera|"
    r"ingeniero|abogada|abogado|onderzoeker|hoogleraar|historicus|advocaat|forscherin|forscher|anwältin|"
    r"anwalt|chercheur|chercheuse|avocate|avocat|ricercatore|ricercatrice|avvocato|avvocata|pesquisador|"
    r"pesquisadora|historiadora|advogada|advogado|engenheira|engenheiro|archivarin|archivar|archiviste|archivaris|"
    r"archivista|arquivista|bibliothekarin|bibliothekar|bibliothécaire|bibliotecari[oa]|bibliothecaris|"
    r"conservat(?:or|eur|rice|ora)|kuratorin|kurator|curatrice|curatore|wissenschaftlerin|wissenschaftler|"
    r"professorin|dozentin|dozent|ingenieurin|ingenieur|ingénieure?|journalistin|journaliste|periodista|"
    r"giornalista|médecin|ärztin|arzt|médica|médico|economista|ökonomin|économiste|sociologist|sociologue|"
    r"soziologin|sociólog[oa]|sociolog[oa]|anthropologist|anthropologue|biologist|biologiste|biologin|biólog[oa]|"
    r"chemist|physicist|geographer|géographe|geógraf[oa]|data scientist|programmer|teacher|enseignante?|"
    r"lehrerin|lehrer|maestr[oa]|ricercatrice|onderzoekster|docent|bibliotecária|bibliotecário|producer|composer|"
    r"translator|publisher|illustrator|artist|writer|author|statistician|nurse|midwife|coordinator|organi[sz]er|"
    r"kompositör|översättare|forskare|kompozytor|tłumacz(?:ka)?|badacz(?:ka)?|peneliti|dosen|besteci|çevirmen)"
)
_DESCRIBED_AFTER = re.compile(
    rf"^,\s+(?:(?:a|an|the|une?|el|la|il|de|het|een|um|uma)\s+)?(?:[\w-]+\s+){{0,3}}{ROLE}\b"
    r"|^,?\s+(?:who|she|he|they|que|qui|die|der|wer|che|dat|die)\s+(?:\w+\s+){0,2}?(?:has|is|runs|leads|knows|"
    r"works|spent|did|built|ran|wrote|worked|pointed|showed|helped|taught|told|introduced|knew|collected|compiled|"
    r"curated|digiti[sz]ed|maintains|manages|coordinates|teaches|studies|studied|"
    r"hat|ist|leitet|arbeitet|a|est|dirige|travaille|tiene|lleva|"
    r"trabaja|dirige|ha|lavora|heeft|leidde|werkt|weet|zit|zat|tem|trabalha)\b"
    r"|^,?\s+(?:he|she)(?:'s|’s) (?:been|working|doing|the (?:one|person|expert)|an? expert)\b"
    r"|^,?\s*(?:[—–-]\s*)?(?:all (?:three|four|five|of them)|both|each of them|either of them|(?:they|who) (?:both|all))"
    r"\s+(?:have|are|would|know|work|did|ran|run|can|could|has|will|were|had)\b"
    r"|^,?\s+(?:would (?:both |all |each )?(?:know|be (?:great|perfect|ideal|good|the (?:person|one))|love (?:this|to)|"
    r"be (?:keen|interested))|"
    r"might know|may know|could help|can help|(?:might|may|should|would) be able to|"
    r"is (?:who|the one|the person) (?:i'?d|i would|you|you'?d) (?:ask|want|need|talk to|contact)|kennt sich (?:\w+ ){0,2}aus|weiß (?:alles|viel)|"
    r"connaît (?:bien|très bien|tout)|conosce (?:bene|benissimo)|sabe (?:mucho|muito|todo)|weet (?:alles|veel))\b"
    r"|^\s+(?:is (?:great|the best|brilliant|amazing|excellent|your (?:person|best|man|woman|guy|gal|go-to)|"
    r"the (?:person|one|expert|right)|"
    r"an expert|really good|working on|doing)|has (?:the|real|great|done|been|spent|worked)|knows|works on|"
    r"runs|leads|built|ran|did)\b"
    r"|^['’]s (?:group|lab|team)\b"
    r"|^,? \((?:not on|isn't on|is not on|she's not|he's not|they're not)"
    r"|^,?\s+(?:is|'s) (?:only )?(?:on|over on) (?:mastodon|linkedin|threads|bluesky|twitter|x|instagram|substack)\b"
    r"|^,? (?:who|she|he) (?:is|'s) not on|^\s*\((?:not on here|nicht hier|pas ici|pas sur)",
    re.IGNORECASE,
)
_PLACE_AFTER = re.compile(
    rf"^,?\s+(?:in|at|from|aus|à|en|em|a|in de|uit)\s+(?:the |our |my )?[{UP}][{LO}]+(?:[ -][\w]+){{0,2}}?,?"
    r"(?= (?:is|has|knows|would|works|runs|leads|did|ran|was|who|can|could|might|may|are|"
    r"(?:he|she|they)(?:'s|’s| is| are|'re| has| was| runs| knows))\b)"
)
# a story about the replier, not a recommendation: "my supervisor X made me hand-code 2,000 entries"
_ANECDOTE_AFTER = re.compile(
    r"(?i:^,?\s+(?:once |always |never )?(?:made|told|taught|gave|showed|asked|forced|had|let|sent) (?:me|us)\b|"
    r"^,?\s+used to\b)"
)
_ASK_THEM = re.compile(
    r"(?i:\b(?:ask|email|e-mail|contact|ping|message|write to|talk to|dm) (?:her|him|them)\b)"
)
_PRONOUNS_PAREN = re.compile(r"^ \((?:he|she|they|ze|xe|er|sie|elle|il)/\w{2,5}(?:/\w{2,5})?\)")
_ACRONYM_PAREN_AFTER = re.compile(rf"^\s*\([{UP}][{UP}&-]{{1,8}}\)")  # "Çağla Yıldız (ODTÜ)", if recommended
_CITED_AFTER = re.compile(
    r"^(?:['’]s?\s+(?:(?:\d{4}|new|latest|recent|classic|old|great|excellent|famous)\s+)?(?:paper|papers|book|"
    r"books|article|work|blog|post|essay|talk|tutorial|review|study|survey|thesis|chapter|textbook|model|"
    r"method|framework|slides|lecture|podcast|newsletter|piece|substack|experiment|experiments|studies|analysis|"
    r"results|findings|data|class|course|keynote)\b"
    r"|['’]s\s+(?:lab|group|team)\s+(?:showed|found|shows|finds|suggests?|demonstrated|reported|published)\b"
    r"|,?\s*\(?(?:19|20)\d\d\b|\s+et al|\s+(?:&|and|und|et|y)\s+[A-Z][\w-]+,?\s+\(?(?:19|20)\d\d)"
)
_CITED_BEFORE = re.compile(
    r"(?i:\b(?:by|von|par|cite|citing|read|reading|según|selon|laut|d['’]après|according to|per|"
    r"(?:paper|book|work|article|thesis|essay|livre|bouquin|libro|livro|buch|boek|bok)s? (?:of|de|di|van|von|do|da|av))\s+$)"
)
_NEGATIVE_BEFORE = re.compile(
    r"(?i:(?:\bskip|\bavoid|\bignore|\bdon'?t (?:follow|listen to|bother with|bother asking|trust|ask)|\bwaste (?:of )?(?:your )?time (?:on|with|asking)|\bnot|\bunlike|\bexcept|"
    r"\bblock|\bmute|\bsteer clear of|\bévite[rz]?|\bevita|\bvermeide|\bignoriere)\s+(?:\w+\s+)?$)"
)
# negation travels: "don't ask X", "no le preguntes a X", "ne demandez pas à X" before; "X'e sormayın", "X से मत
# पूछो", "X 님께 묻지 마세요" after (each language's `not_contact` / `not_contact_after`); shared with referrals
NOT_CONTACT_BEFORE = re.compile(
    f"(?i:{'|'.join(union(lambda c: c.not_contact))})" r"\s+(?:[^\s,.;:!?]+\s+){0,2}$"
)
NOT_CONTACT_AFTER = re.compile("|".join(union(lambda c: c.not_contact_after)), re.IGNORECASE)
# a language or nationality word after "tiếng" / "bahasa" / "dil" is not a person: "tiếng Bồ Đào Nha"
_LANGUAGE_BEFORE = re.compile(r"(?i:\b(?:tiếng|bahasa|dil[iı]?|język(?:u|iem)?|lingua|langue|idioma)\s+$)")
_CAPITAL_NEXT = re.compile(rf" [{UP}]")
_MET_BEFORE = re.compile(
    r"(?i:\b(?:i|we) (?:met|saw|heard|watched|interviewed|thanked|ran into|bumped into)\s+(?:with\s+)?$)"
)
# an honorific alone ("Dr. Ortiz ran the survey") does not recommend anyone: it needs the reply to be about
# reaching someone (a contact verb, "is the person", "would know", "expert") if nothing next to the name does
_RECOMMENDS = re.compile(  # searched in lower-cased text, only when an honorific-only name needs it
    "|".join(union(lambda c: c.recommends))
)
# thanking, congratulating or greeting someone is not recommending them
_THANKED_BEFORE = re.compile(
    r"(?i:\b(?:thanks|thank you|thx|ty|congrats|congratulations|cheers|kudos|shout-?out to|credit to|hi|hello|hey|dear|"
    r"merci|danke|gracias|grazie|obrigad[oa]|bedankt|hallo|hola|ciao|bonjour|happy birthday|welcome|rip|"
    r"(?:in )?memory of|in memoriam|condolences|the late|late|remember(?:ing)?)[,!]?\s+(?:to\s+)?(?:my \w+ )?$)"
)
# gone or not real: "X retired years ago", "our student X left the project", "Professor X is not a real person"
_GONE_AFTER = re.compile(
    r"(?i:^,?\s+(?:(?:is|was) (?:not|no longer)|isn'?t|wasn'?t|retired|died|passed away|left (?:the|academia|us|"
    r"for)|has left|moved on|is gone|(?:is|was) fictional)\b)"
)
_AFFILIATION_OF_PREVIOUS = re.compile(
    r"(?i:\b(?:at|from|van|van het|van de|del|de la|bei|von|vom|of the|aus|chez|da|do|della)\s+$)"
)
# "X said ...", "Prof. X, our PI, would disagree": an opinion attributed to someone, not a recommendation
_ATTRIBUTED = re.compile(
    r"(?i:^(?:['’]s)?(?:,\s[^,\n]{1,40},)?,?\s+(?:said|says|mentioned|noted|wrote|pointed out|suggested|"
    r"(?:would|will|might) (?:probably |likely |certainly )?(?:disagree|argue|say|object|laugh|tell you)|disagrees|"
    r"argues|argued|thinks|thought|believes|claims|claimed|told me|once told|always says|likes to say|used to say)\b)"
)
_LIST_GAP = re.compile(
    r"^(?:\s*\([^()]{0,80}\))?(?:,?\s+(?:at|from|of|in|van|del|de|bei)\s+[^,;()]{1,40})?"
    r"\s*(?:[,;]\s*|,?\s+(?:and|&|y|und|et|e|en|or|oder|ou|o)\s+|,\s*(?:and|&|y|und|et|e|en|or|oder|ou|o)\s+|"
    r"[,;]?\s*\n\s*(?:[-*•·]|\d[.)])?\s*)"
    rf"(?:{HONORIFIC}\.?\s+)?$"
)
# CJK: 山本先生が / 佐藤さんに / 王老师 / 김민준 교수님께 (a name, an honorific, then not a possessive)
_CJK_HONOURED = re.compile(
    r"([\u4e00-\u9fff\u3005]{2,4}|[\u30a0-\u30ffー]{2,10}|[\u4e00-\u9fff\u3005\u30a0-\u30ffー]{2,6}?)"
    r"(?:さん|先生|教授|氏|博士|老师|老師)(?=[がはにへとをも、。,，！!？?他她是吧聊（(]|です|なら|って|とか|$)"
    r"|(?<=[问找聯联系请請教的])([\u4e00-\u9fff]{1,3}?)(?:老师|老師|教授|博士)(?=[，,。！!？?他她是吧聊]|$)"
    r"|([\uac00-\ud7af]{2,4}) ?(?:교수님|박사님|선생님|교수|박사)(?=께|에게|한테|이|가|은|는|을|를|과|와|[ ,.])"
)
_CJK_SEPARATOR = re.compile(r"请教|一下|[的问找和与跟请是在了向给の]")
_CJK_NOT_NAME = re.compile(r"^(?:研究所|大学|学部|研究室|教授|先生|この|その|あの|どの|みな|皆|担当|指導)")
_CJK_CONTACT = re.compile(
    r"聞|訊|連絡|相談|紹介|問い合わせ|話|会|メール|联系|问|請|请|找|熟|연락|문의|소개|추천|詳しい|専門|研究"
)


# the first word of a place or a title, not a word before a name: "New York Times", "San Diego"
PROPER_PREFIX = frozenset(
    "new san santa los las saint st fort port mount lake north south east west great royal national old upper "
    "lower central".split()
)
# a name inside an organisation's name is the organisation: "Hospital de San Juan de Dios", "Fundación Ana
# Mejía", "Instituto Carlos Chagas" (an org word, then particles, place prefixes and capitalised words)
_ORG_BEFORE = re.compile(
    rf"(?<![\w-])(?:{'|'.join(sorted(w.capitalize() for w in ORG_WORDS))})"  # capitalised: "consiglio" is advice
    rf"(?: (?:{PARTICLE}|{'|'.join(w.capitalize() for w in sorted(PROPER_PREFIX))}|[{UP}][{LO}]{{0,20}}\.?)){{0,4}} $"
)
# German capitalises every noun: "seit Jahren Briefe" is two nouns. In German text a plain pair of capitalised
# words after a lower-case word needs a contact verb or list introduction before it (a title is another path)
_GERMAN = re.compile(r"\b(?:und|nicht|ist|sind|sie|dem|mit|auch|sich|für|eine|einen|aus|seit|wir|ihr|sehr)\b")
_LOWER_WORD_BEFORE = re.compile(rf"(?<![\w-])[{LO}][{LO}-]*\s$")


def _strip(name: str) -> str | None:
    tokens = name.split(" ")
    if tokens[0].lower() in PROPER_PREFIX:
        return None
    while tokens and (
        tokens[0].lower() in NOT_NAME or tokens[0].islower()
    ):  # "Napisz do Marty ...": the verb
        tokens = tokens[1:]
    for i, t in enumerate(tokens):  # "Giulia Bianchi del Politecnico": the particle starts an affiliation
        if (
            i >= 2
            and t.islower()
            and any(not u.islower() and (u.lower() in NOT_NAME or u.lower() in ORG_WORDS) for u in tokens[i:])
        ):
            tokens = tokens[:i]
            break
    if not tokens or any(
        t.lower() in NOT_NAME or t.lower() in ORG_WORDS for t in tokens if not t.islower()
    ):  # particles are lower-case
        return None
    return " ".join(tokens)


# a name written in lower case right after a contact verb ("chiedi a giulia ferrante, ha ...", "mail even met sanne
# de groot van ..."): two or more lower-case words, none a common word of any language, then an affiliation, a
# description or a pronoun; ordinary words ("ask local planners") fail the word lists or the signal after
_LOWER_TOKEN = rf"[{LO}]{{2,20}}"
# searched in the lower-cased text (the cues are lower case; no IGNORECASE keeps the scan cheap), so a match is a
# candidate only where the text itself is lower case there
_LOWER_AFTER_CONTACT = re.compile(
    r"\b(?:"
    + "|".join(a[2:] if a.startswith("\\b") else a for a in union(lambda c: c.contact_before_name))
    + ")"
    rf"(?:,)? (?P<name>{_LOWER_TOKEN}(?: {_LOWER_TOKEN})?(?: {PARTICLE}){{0,3}} {_LOWER_TOKEN})(?![\w@-]| (?!(?:van|at|"
    r"from|di|del|della|de|bei|von|vom|från|z|ze|of|in|da|do|dari|du|who|che|que|die|som)\b)"
    rf"{_LOWER_TOKEN}\b)"
)
_LOWER_SIGNAL_AFTER = re.compile(
    r"^(?:\s*\((?=[^()]{2,80}\)))"
    r"|^,?\s+(?:van|at|from|di|del|della|dell['’]|de|bei|von|vom|från|på|z|ze|of|in|da|do|dari|du|des|au|à|em|no|na)\s"
    r"|^,?\s+(?:who|she|he|die|che|que|qui|som|dia|ona|on|elle|il|lei|ela|ele|ella|él|zij|hij|sie|er|hon|han|ha|has|"
    r"is|hat|heeft|tiene|tem|a|est|har)\b"
)
_LOWER_NOT_NAME = frozenset(
    """people someone somebody anyone anybody everyone folks locals experts around directly first again today later
    please about local city town state national regional public private other others those these every each some
    more most many much very really just also still only even already maybe here there them him her his hers
    support desk team staff office department service services help officials admin admins""".split()
)
_STOP_ALL = frozenset(w for ws in union(lambda c: tuple(c.stop_words)) for w in [ws])
_ROLE_FULL = re.compile(rf"(?:{ROLE}|{_ROLE_WORDS})s?")


def _lower_token_ok(token: str) -> bool:
    low = token.lower()
    return not (
        low in NOT_NAME
        or low in _LOWER_NOT_NAME
        or low in _STOP_ALL
        or low in _SHAPE_NOT_NAME_BASE
        or low in ORG_WORDS
        or low.endswith(("ly", "ing", "tion", "ers", "ists"))
        or _ROLE_FULL.fullmatch(low)
    )


def _lower_names(text: str, cands: dict[int, _Candidate], limit: int) -> None:
    """Lower-case full names right after a contact verb, with an affiliation, description or pronoun next."""
    lower = text.lower()
    if len(lower) != len(text):
        return  # a letter whose lower case is longer ("İ"): offsets would not line up
    for m in _LOWER_AFTER_CONTACT.finditer(lower):
        if len(cands) >= limit:
            break
        raw = text[m.start("name") : m.end("name")]
        if raw != m.group("name") or any(s <= m.start("name") < e for _n, s, e, _h in cands.values()):
            continue
        tokens = raw.split(" ")
        if _ROLE_GATE.search(text[m.start() : m.start("name")].lower()):
            continue  # "mijn promotor werkt precies hieraan": after a relationship word, lower case is prose
        if not all(_lower_token_ok(t) for t in (tokens[0], tokens[-1])):
            continue
        after = text[m.end("name") : m.end("name") + 40]  # a slice: `^` does not match at a `pos`
        if not _LOWER_SIGNAL_AFTER.match(after) and not _PERSON_SIGNAL.search(
            text, m.end("name"), m.end("name") + 100
        ):
            continue
        cands[m.start("name")] = (raw, m.start("name"), m.end("name"), True)


_Candidate = tuple[str, int, int, bool]  # name, start, end, whether an honorific or its own cue came with it
_Span = tuple[str, int, int]


def named_people(
    text: str,
    skip_names: Collection[str] = (),
    skip_spans: Collection[tuple[int, int]] = (),
    limit: int = 30,
) -> list[tuple[str, int, int]]:
    """Handle-less people the text recommends contacting, as (name, start, end) in text order."""
    cands: dict[int, _Candidate] = {}
    _honoured_names(text, cands, limit)
    _plain_names(text, cands, limit)
    self_cued = _single_given_names(text, cands, limit)
    _lower_names(text, cands, limit)
    _cut_employers(text, cands)
    return _recommended(text, cands, self_cued, skip_names, skip_spans)


# a title written before one name alone ("Pak Hendra", "Seu Joaquim", "Pan Zbigniew", "Dr. Okafor"): filed with it
_TITLE_WORD = r"(?:pak|bu|ibu|bapak|mbak|mas|seu|dona|pan|pani|pana|panią|panem)"
# only the short written titles: a written-out one ("Frau Müller", "la doctora Martínez") files the surname alone
_SHORT_TITLE = rf"(?:(?i:dr|dra|prof|profa)\.?|(?:Mme|Mlle|Mr|Mrs|Ms|Sr|Sra)\.?|(?i:{_TITLE_WORD}))"
TITLED = re.compile(rf"^{_SHORT_TITLE} [^ ]+$")
_TITLE_BEFORE = re.compile(rf"(?<![\w.-]){_SHORT_TITLE} $")
_TITLE_STACKED = re.compile(rf"(?i:\b(?:{HONORIFIC}|{LOWER_HONORIFIC}|herrn)\.? )$")


def _honoured_names(text: str, cands: dict[int, _Candidate], limit: int) -> None:
    """ "Dr. Ilse de Wit", "la doctora Martínez": a name after an honorific."""
    for m in _HONOURED.finditer(text):
        if len(cands) >= limit:
            break
        raw = m.group("name")
        name = _strip(raw)
        if name and name in raw:
            end = m.start("name") + raw.find(name) + len(name)
            if (
                " " not in name
                and "." not in name
                and TITLED.match(text[m.start() : end])
                and not _TITLE_STACKED.search(
                    text, max(0, m.start() - 16), m.start()
                )  # "Herrn Dr. Schneider"
            ):
                name = text[m.start() : end]  # "Dr. Okafor", "Mme Ouédraogo": a surname alone keeps its title
            cands[m.start()] = (name, m.start(), end, True)


def _plain_names(text: str, cands: dict[int, _Candidate], limit: int) -> None:
    """Two or more capitalised name tokens, with particles ("Jan van der Meer"), outside honoured names."""
    taken = [(s, e) for _n, s, e, _h in cands.values()]
    for m in (*_PLAIN.finditer(text), *_INITIALLED.finditer(text)):
        if len(cands) >= limit:
            break
        if any(s <= m.start() < e for s, e in taken):
            continue
        if m.re is _INITIALLED and any(s <= m.start() < e for _n, s, e, _h in cands.values()):
            continue  # "Jane A. Doe": the initial is inside a name already read
        name = _strip(m.group(0))
        if name and " " in name:
            start = m.start() + m.group(0).find(name)
            cands[start] = (name, start, start + len(name), False)


def _single_given_names(text: str, cands: dict[int, _Candidate], limit: int) -> set[int]:
    """One given name with a strong cue of its own ("my colleague Ivan"); returns where they start."""
    self_cued: set[int] = set()
    singles = ((_SINGLE_ROLE, None), (_SINGLE_CONTACT, _PERSON_SIGNAL), (_SINGLE_AFFILIATED, _PERSON_SIGNAL))
    role_words = _ROLE_GATE.search(text.lower()) is not None
    for rx, signal in (*singles, (_SINGLE_PLACED, _PERSON_STRONG), (_SINGLE_LAB, _PERSON_STRONG)):
        for m in rx.finditer(text) if rx is not _SINGLE_ROLE or role_words else ():
            if len(cands) >= limit:
                break
            raw = m.group("name")
            if any(a <= m.start("name") < b for _n, a, b, _h in cands.values()) or not _single_name_shape(
                raw
            ):
                continue
            if signal and not signal.search(text, m.end(), m.end() + 100):
                continue
            if rx is not _SINGLE_ROLE and _PLURAL_VERB_NEXT.match(text, m.end()):
                continue  # "Results from our lab show ...": a plural noun, not a person
            cands[m.start("name")] = (raw, m.start("name"), m.end("name"), True)
            self_cued.add(m.start("name"))
    return self_cued


def _single_name_shape(raw: str) -> bool:
    return len(raw) >= 3 and _strip(raw) == raw and raw.lower() not in ORG_WORDS


def _cut_employers(text: str, cands: dict[int, _Candidate]) -> None:
    """ "Wouter Jansen van Deltamind Analytics": the particle before a capital starts the employer."""
    for start, (name, s, e, honoured) in list(cands.items()):
        tokens = name.split(" ")
        if _CAPITAL_NEXT.match(text, e):
            cut = next((i for i, t in enumerate(tokens) if i >= 2 and t.islower()), None)
            if cut is not None:
                short = " ".join(tokens[:cut])
                cands[start] = (short, s, s + (e - s) - (len(name) - len(short)), honoured)


class _Recommends:
    """Whether the reply is about reaching someone at all (searched once, only if a candidate needs it)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._value: bool | None = None

    def __call__(self) -> bool:
        if self._value is None:
            self._value = bool(_RECOMMENDS.search(self._text.lower()))
        return self._value


_CONTACT_PRONOUN = re.compile("|".join(union(lambda c: c.contact_pronoun)))


class _PronounContacts:
    """Where the text says "write to her" / "escríbele" / "schreib ihm" (searched once, only if asked)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._at: list[int] | None = None

    def after(self, end: int) -> bool:
        """Whether one comes within 250 characters after a name ending at `end`."""
        if self._at is None:
            self._at = [m.start() for m in _CONTACT_PRONOUN.finditer(self._text.lower())]
        return any(end < p < end + 250 for p in self._at)


# a name as the subject of its clause: at the start, after a sentence end or a comma ("En X, Rodrigo Salazar midió")
_SUBJECT_BEFORE = re.compile(r"(?:^|[.!?;:,]\s{1,3}|\n\s{0,3})$")


def _recommended(
    text: str,
    cands: dict[int, _Candidate],
    self_cued: set[int],
    skip_names: Collection[str],
    skip_spans: Collection[tuple[int, int]],
) -> list[_Span]:
    """The candidates the text recommends: each with a cue, or listed next to one that has a cue."""
    skip = {s.lower() for s in skip_names if s}
    recommends = _Recommends(text)
    german = len(_GERMAN.findall(text[:2000])) >= 2
    pointers = _PronounContacts(text)
    out: list[_Span] = []
    prev_end = -1
    pending: list[_Span] = []  # unblocked names without a cue of their own, in a list so far
    seen: dict[str, int] = {}
    for key in sorted(cands):
        name, s, e, honoured = cands[key]
        if name.lower() in skip or any(a <= s < b for a, b in skip_spans):
            continue
        seen[name] = seen.get(name, 0) + 1
        if seen[name] > 3:  # a name repeated more than thrice adds nothing (and floods cost time)
            continue
        # cheap anchored cues first; the window searches only for the few candidates that need them
        after = text[e : e + 70]
        if after.startswith(" (") and (pronouns := _PRONOUNS_PAREN.match(after)):
            after = after[pronouns.end() :]  # "Sven Olsen (he/him) at DTU"
        before = text[max(0, s - 45) : s]
        if _blocked(before, after, honoured) or (
            german and not honoured and _noun_pair(before, s, self_cued)
        ):
            pending = []
            continue
        linked = bool(pending) and _listed(text, pending[-1][2], s)
        cue = (
            (honoured and (s in self_cued or recommends()))
            or _cued(text, before, after, prev_end, s, recommends)
            or (" " in name and _SUBJECT_BEFORE.search(before) is not None and pointers.after(e))
        )
        if not cue:
            pending = [*pending, (name, s, e)] if linked else [(name, s, e)]
            continue
        if linked:  # "Both Chen Wei and Ayesha Siddiqui at the Turing": the cue covers the whole list
            out.extend(pending)
        pending = []
        out.append((name, s, e))
        prev_end = e
    return out


def _noun_pair(before: str, s: int, self_cued: set[int]) -> bool:
    """In German text: capitalised words after a lower-case word, with no contact verb or list before them."""
    return (
        s not in self_cued
        and bool(_LOWER_WORD_BEFORE.search(before))
        and not _CONTACT_BEFORE.search(before)
        and not _LIST_INTRO.search(before)
    )


def _listed(text: str, prev_end: int, start: int) -> bool:
    """Whether a name at `start` continues a list whose previous item ends at `prev_end`."""
    return start - prev_end < 160 and bool(_LIST_GAP.match(text[prev_end:start]))


# "... the cooperative. The president, Armando X, ...": the head of an organisation the reply points to
_ROLE_APPOSITION = re.compile(
    r"(?i:(?:^|[.!?;:]\s+|,\s+)(?:the|its|their|el|la|su|o|a|seu|sua|il|lo|le|der|die|de|het|hun|dess|jej|jego)\s+"
    r"(?:president[ea]?|présidente?|presidenta|director[a]?|diretor[a]?|directeur|directrice|direttore|direttrice|"
    r"leiter(?:in)?|vorsitzende[r]?|coordinator|coordinador[a]?|coordenador[a]?|coordinatore|coordinatrice|founder|"
    r"co-?founder|fundador[a]?|fondat(?:eur|rice|ore)|gründer(?:in)?|chair(?:person|woman|man)?|head|voorzitter|"
    r"oprichter|ordförande|grundare|prezes|dyrektor(?:ka)?|ketua|pendiri|başkan[ıi]?|kurucusu)\s*,\s*$)"
)


def _cued(text: str, before: str, after: str, prev_end: int, s: int, recommends: _Recommends) -> bool:
    """A cue next to the name: an affiliation or description after it, a contact verb or list intro before it,
    or the next item of a list of recommended people."""
    return (
        bool(_AFFILIATED_AFTER.match(after))
        or bool(_DESCRIBED_AFTER.match(after))
        or bool((place := _PLACE_AFTER.match(after)) and _DESCRIBED_AFTER.match(after[place.end() :]))
        or (0 <= prev_end and _listed(text, prev_end, s))
        or bool(_CONTACT_BEFORE.search(before))
        or bool(_LIST_INTRO.search(before))
        or (bool(_ROLE_APPOSITION.search(before)) and recommends())
        or (bool(_ACRONYM_PAREN_AFTER.match(after)) and recommends())
    )


def _blocked(before: str, after: str, honoured: bool) -> bool:
    """Cited, negative, attributed, met, thanked, gone, an anecdote, or where the previous name works."""
    return (
        bool(_CITED_BEFORE.search(before))
        or bool(NOT_CONTACT_BEFORE.search(before))
        or bool(NOT_CONTACT_AFTER.match(after))
        or bool(_LANGUAGE_BEFORE.search(before))
        or bool(_ORG_BEFORE.search(before))
        or bool(_CITED_AFTER.match(after))
        or bool(_NEGATIVE_BEFORE.search(before))
        or bool(_ATTRIBUTED.match(after))
        or bool(_MET_BEFORE.search(before))
        or bool(_THANKED_BEFORE.search(before))
        or bool(_GONE_AFTER.match(after))
        or (bool(_ANECDOTE_AFTER.match(after)) and not _ASK_THEM.search(after))
        or (
            not honoured
            and bool(_AFFILIATION_OF_PREVIOUS.search(before))
            and not _CONTACT_BEFORE.search(before)  # "frag mal bei X": bei after a contact verb
        )  # "Bas de Vries van Foodchain Insights": the second name is where the first works
    )


def cjk_people(text: str, skip_names: Collection[str] = ()) -> list[tuple[str, int, int]]:
    """CJK names with an honorific suffix, when the text is about reaching or recommending them."""
    out: list[tuple[str, int, int]] = []
    if not _CJK_CONTACT.search(text):
        return out
    for m in _CJK_HONOURED.finditer(text):
        name = _CJK_SEPARATOR.split(m.group(1) or m.group(2) or m.group(3) or "")[-1]
        if not name or _CJK_NOT_NAME.match(name) or name in skip_names:
            continue
        if text[m.end() : m.end() + 1] == "の" or NOT_CONTACT_AFTER.match(text[m.end() : m.end() + 40]):
            continue  # a possessive, or "김민준 교수님께 연락하지 마세요"
        out.append((name, m.start(), m.end()))
        if len(out) >= 10:
            break
    return out


# ------------------------------------------------------------------------------------------- shapes by language
# each language's `referral_shapes`, searched in the text as written; `{NAME}` is one to three capitalised name
# tokens (accents, Vietnamese and Turkish letters included). Their own pattern compiled once each, because the
# alternatives of different languages share the group name `name`.
_SHAPE_NAME = rf"{TOKEN}(?: {TOKEN}){{0,3}}"  # four for Vietnamese: Nguyễn Thị Thu Hằng
_SHAPES = tuple(re.compile(a.replace("{NAME}", _SHAPE_NAME)) for a in union(lambda c: c.referral_shapes))
_SHAPE_NOT_NAME = _SHAPE_NOT_NAME_BASE | NOT_NAME
_SHAPE_ORG_WORDS = frozenset(union(lambda c: tuple(c.org_words)))


def _is_org(tokens: list[str]) -> bool:
    return any(
        t.lower() in _SHAPE_ORG_WORDS or (not t.isascii() and t.endswith(tuple(_SHAPE_ORG_WORDS)))
        for t in tokens
    )


def shaped_people(text: str, limit: int = 10) -> list[tuple[str, int, int, bool]]:
    """Names recommended by a language's word order and particles ("김민준 교수님께 연락", "ममता यादव से बात
    कीजिए", "تواصل مع ليلى حداد", "Ayşe Hoca'ya sor"): (name, start, end, is_org), pronouns at the edges trimmed."""
    out: list[tuple[str, int, int, bool]] = []
    for rx in _SHAPES:
        for m in rx.finditer(text):
            tokens = m.group("name").split()
            start = m.start("name")
            while tokens and tokens[0].lower().rstrip(".") in _SHAPE_NOT_NAME:
                start += text.find(tokens[0], start) - start + len(tokens[0])
                start += len(text[start:]) - len(text[start:].lstrip())
                tokens = tokens[1:]
            cut = next((i for i, t in enumerate(tokens) if t.lower() in _SHAPE_NOT_NAME), len(tokens))
            tokens = tokens[:cut]
            if not tokens or (len(tokens) == 1 and len(tokens[0]) < 2):
                continue
            name = " ".join(tokens)
            end = start + len(name)
            title = _TITLE_BEFORE.search(text, max(0, start - 12), start) if len(tokens) == 1 else None
            if title:
                start, name = title.start(), text[title.start() : end]
            if NOT_CONTACT_BEFORE.search(text, max(0, start - 45), start) or NOT_CONTACT_AFTER.match(
                text[end : end + 40]  # a slice: `^` does not match at a `pos`
            ):
                continue  # "لا تتواصل مع X", "X'e sormayın", "X से मत पूछो"
            lead = (
                text[m.start() : start].strip(" '\"“‘«").split()
            )  # "liên hệ nhóm 'X'": the group word makes X an org
            out.append((name, start, end, _is_org(tokens) or _is_org(lead[-1:])))
            if len(out) >= limit:
                return out
    return out
