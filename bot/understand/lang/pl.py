"""Polish cue phrases: regex alternatives, each searched in lower-cased text (pure data)."""

from bot.understand.lang.base import Cues

CUES = Cues(
    code="pl",
    stop_words=frozenset(
        "i w na nie się to jest z że do jak ale czy mam co tak po od za tylko już jestem może bardzo".split()
    ),
    question_words=(
        "jak",
        "dlaczego",
        "czemu",
        "kto",
        "co",
        "gdzie",
        "kiedy",
        "ile",
        "który",
        "która",
        "czy",
    ),
    injection=(),
    spam=(
        r"\bsprzedam\b",
        r"\bpisz na priv\b",
        r"\btylko \d+ ?zł\b",
    ),
    abuse=(
        r"\b(?:żenujący|żenada|frajer\w*|matoł\w*)\b",
        r"\b(?:idiot(?:a|o|ka|ów|y)?|debil(?:u|e|em)?|kretyn(?:ie|ka|y)?|głupek|żałosn[ya]|spierdalaj|"
        r"pierdol\w*|ty głupi\w*)\b",
    ),
    offer=(
        r"\b(?:mogę|możemy|może) (?:cię|was)\b",
        r"\bmogę (?:też |chętnie )?(?:przejrzeć|przetestować|sprawdzić|zrobić|przygotować|przeczytać|podpowiedzieć)",
        r"\bjeśli (?:chcesz|chcecie)\b[^.?!]{0,60}\b(?:mogę|możemy)\b",
        r"\bmogę (?:ci |wam |pani |panu )?(?:\w+ )?(?:wysłać|przesłać|pomóc|przedstawić|podesłać|udostępnić|"
        r"pokazać|polecić|skontaktować)",
        r"\bchętnie (?:pomogę|porozmawiam|się podzielę|prześlę|wyślę|opowiem|pokażę|podeślę)",
        r"\bnapisz (?:do mnie|mi)\b",
        r"\bpisz (?:śmiało|do mnie)\b",
        r"\bzapraszam (?:na priv|do kontaktu|na dm|na pw)",
        r"\bdaj (?:mi )?znać\b",
        r"\bmożemy (?:się )?(?:zdzwonić|spotkać|porozmawiać)",
    ),
    critique=(
        r"\bdrobna uwaga\b",
        r"\bza późno\b",
        r"\bnie ma sensu\b",
        r"\bto nie (?:tak|działa)\b",
        r"\bnie zgadzam się\b",
        r"\bnie (?:do końca )?(?:jestem )?przekonan[ya]\b",
        r"\b(?:założenie|przesłanka|teza) (?:jest )?(?:błędn|fałszyw|wątpliw)",
        r"\bto nie jest (?:dobre|właściwe) pytanie\b",
        r"\bmam wątpliwości\b",
        r"\bz całym szacunkiem\b",
        r"\bto nieprawda\b",
        r"\bwątpię\b",
    ),
    resource_nouns=(
        r"\b(?:książka|książkę|książki|artykuł|raport|przewodnik|archiwum|podręcznik|baza danych)\b",
    ),
    senior_bio=(),
    experience=(r"\b(?:robiliśmy|testowaliśmy|mieliśmy) (?:to|podobn)",),
    them_contact=(
        r"\b(?:zadzwoń|napisz|odezwij się) do (?:nich|niej|niego)\b",
        r"\bnapisz do nich\b",
        r"\bskontaktuj się z nimi\b",
    ),
    contact_before_handle=(r"\bnapisz do", r"\bzapytaj", r"\bskontaktuj się z", r"\bporozmawiaj z"),
    contact_before_name=(
        r"\bnapisz(?: maila)? do",
        r"\bzapytaj",
        r"\bskontaktuj się z",
        r"\bodezwij się do",
        r"\bporozmawiaj z",
        r"\bpogadaj z",
        r"\bzgłoś się do",
        r"\bpolecam",
        r"\bmoja (?:\w+ )?(?:koleżanka|przyjaciółka|promotorka)",
        r"\bmój (?:\w+ )?(?:kolega|przyjaciel|promotor)",
    ),
    contact_single=(),
    recommends=(r"\b(?:napisz|zapytaj|skontaktuj|odezwij|porozmawiaj|pogadaj|polecam|zna się|ekspert)",),
    contact_org=(r"\bnapisz do", r"\bzapytaj(?: w)?", r"\bskontaktuj się z", r"\bzgłoś się do"),
    social=(
        r"\b(?:super|świetne|powodzenia|dokładnie|trzymam kciuki)\b",
        r"^\s*dzięki\b",
        r"\bdziękuję\b",
        r"\bzgadzam się\b",
        r"\bobserwuję\b",
        r"\bświetne pytanie\b",
        r"\bpodbijam\b",
    ),
    referral_shapes=(
        r"(?i:\b(?:napisz(?: maila)? do|zapytaj|skontaktuj się z|odezwij się do|porozmawiaj z|pogadaj z)\s+)"
        r"(?:(?i:dr|prof|pani|pana|panią|panem)\.?\s+)?(?P<name>{NAME})",
    ),
    not_name=frozenset("napisz zapytaj skontaktuj odezwij porozmawiaj pogadaj polecam".split()),
    question_any=(
        r"\b(?:lub|albo|co|kto|który|która|które)\b",
        r"\b(?:czy|jak|dlaczego|gdzie|kiedy|ile)\b",
    ),
    not_contact=(
        r"\bnie (?:pytaj|pytajcie|pisz do|piszcie do|kontaktuj się z|dzwoń do|rozmawiaj z|polecam)",
    ),
    contact_pronoun=(
        r"\b(?:napisz|odezwij się|zadzwoń) do (?:niej|niego)\b",
        r"\b(?:zapytaj|skontaktuj się z) (?:ją|jego|nią|nim)\b",
    ),
    staff_of=(r"\b(?:ludzie|ludzi|osoby|zespół|zespołu) (?:z|ze|w)",),
)
