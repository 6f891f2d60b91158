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
        r"\btylko \d+ ?zł\b",
        r"\bzarabiaj\w* \d[\d.,]*\s?(?:zł|pln) dziennie\b",
        # round 9: crypto investing with a monthly return
        r"\b\d+ ?% zwrotu\b",
        r"\binwestuj w kryptowalut",
    ),
    abuse=(
        r"\b(?:żenujący|żenada|frajer\w*|matoł\w*)\b",
        r"\b(?:idiot(?:a|o|ka|ów|y)?|debil(?:u|e|em)?|kretyn(?:ie|ka|y)?|głupek|żałosn[ya]|spierdalaj|"
        r"pierdol\w*|ty głupi\w*)\b",
        r"\bwracaj do szkoły\b",
        r"\bdzieciaku\b",
        r"\bnie masz (?:bladego )?pojęcia\b",
        r"\b(?:jesteś|jesteście) (?:żałosn\w+|oszust\w*|złodziej\w*|śmieszn\w+)\b",
        r"\bwstydź się\b",
        r"\bwstyd dla\b|\bjesteś (?:toksyczn|żałosn|głup)\w*",
        # round 7: "you have no shame", "you are a parasite", "get out", "go and do some real work"
        r"\bwstydu nie mac(?:ie|isz)\b|\bnie mac(?:ie|isz) wstydu\b",
        r"\b(?:jesteś|jesteście) (?:\w+ )?(?:pasożytem|pasożytami)\b|,\s*pasożyty\s*[.!]*\s*$",
        r"\bwynocha\b",
        r"\b(?:weź|weźcie) się do (?:prawdziwej|uczciwej|normalnej) (?:roboty|pracy)\b|\bidź (?:się weź )?do (?:prawdziwej|uczciwej|normalnej) (?:roboty|pracy)\b",
        # round 8: 'get lost'
        r"\bspadaj\b|\bspierdalaj\b",
        # round 9: 'go get treated', 'hack writer'
        r"\bid[zź] si[eę] le?cz\b",
        r"\bpismak",
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
        r"\bmogę (?:ci |wam |pani |panu )?(?:chętnie )?(?:wysłać|przesłać|podesłać|pomóc)\b",
        r"\bodezwij się\b",
        r"\bjestem otwart[ya] na\b",
        r"\bchętnie (?:się )?(?:dołączę|przyłączę|podzielę|pomogę)\b",
        r"\bpisz na (?:dm|priv|priva)\b|\bpogadamy na priv\b|\bmoglibyśmy (?:przyjąć|pomóc|udostępnić)\b",
        # round 6: 'chętnie' + a first-person future, hosting, 'proszę o kontakt', 'na priv'
        r"\bch[eę]tnie (?:się )?(?:pomog[eę]|pomożemy|dołącz[eę]|dołączymy|wejd[eę]|wejdziemy|wezm[eę] udział|weźmiemy udział|udostępni[eę]|udostępnimy|przyjm[eę]|przyjmiemy|przetestuj[eę]|przetestujemy|podziel[eę]|podzielimy|pokażemy|opowiemy|zgłosz[eę]|zgłosimy|prześlemy|wyślemy|poprowadz[eę]|sprawdz[eę]|sprawdzimy|ugościmy|zaangażuj[eę])\b",
        r"\bmog[eę] (?:\w+ )?(?:przyjąć(?!,? że)|ugościć|oprowadzić|udostępnić|pożyczyć|dołączyć|wziąć udział|poprowadzić|przeszkolić|przetestować)\b",
        r"\bmożemy (?:\w+ )?(?:przyjąć(?!,? że)|ugościć|udostępnić|pomóc|dołączyć|wziąć udział|przetestować|pokazać)\b",
        r"\bprosz[eę] o (?:kontakt|info|informację|wiadomość|dm|priv)\b(?! z)",
        r"\b(?:prosz[eę] pisać|piszcie|napiszcie|pisz|napisz)(?: śmiało)? (?:na |w )?(?:priv|pw|dm|prywatn)",
        r"\b(?:na|w) (?:priv|pw)\b|\bw prywatnej wiadomości\b",
        r"\bjestem ch[eę]tn[ya]\b|\bjesteśmy ch[eę]tni\b|\bzgłaszam się\b|\bsłużę pomocą\b|\bmożecie na (?:mnie|nas) liczyć\b|\bmożesz na (?:mnie|nas) liczyć\b",
        r"\bzapraszam (?:do nas|na (?:wizytę|rozmowę|kawę)|w odwiedziny)\b",
        r"\bch[eę]tnie (?:pogadam|pogadamy)\b|\bjakby co,? (?:pisz|piszcie|dzwoń|wal śmiało)\b",
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
        r"\bźle postawione pytanie\b",
        r"\bpytanie (?:jest )?źle postawione\b",
        r"\bproblemem (?:jest|są)\b.{0,60}\ba nie\b",
        r"\bto (?:tylko )?plaster\b",
        r"\bnie sądzę,? (?:że|żeby)\b",
        r"\bto przesada\b",
        r"\bprawdziwy problem\b",
        r"\bnie zgodzę się\b",
        r"\bprzesadzon\w+\b",
        r"\bzły pomysł\b|\bnajgorszy pomysł\b|\bproblem nie leży\b|\bprzepis na (?:wypalenie|katastrofę)\b",
        # round 6: 'szczerze,' opener, 'ma sens tylko jak', 'a po co', 'bałabym się'
        r"^\s*szczerze(?: mówiąc)?\s*[,?!:]",
        r"\bma sens tylko,? (?:jak|jeśli|jeżeli|gdy|wtedy|przy)\b",
        r"\bto nie (?:jest )?(?:strategia|rozwiązanie)\b",
        r"\bpo co (?:koniecznie|w ogóle|komu)\b|^\s*a po co\b",
        r"\bbał(?:a)?bym się\b|\buważał(?:a)?bym (?:na|z)\b|\bnie polecał(?:a)?bym\b|\bodradza(?:m|ł(?:a)?bym)\b",
        r"\bskończy (?:się )?(?:tak samo|źle|katastrofą)\b",
        r"\bbez sensu\b|\bmija się z celem\b|\bślepa uliczka\b|\b(?:szkoda|strata) czasu\b",
        r"\bto (?:trochę |dość |bardzo )?naiwn\w+\b",
        r"\bnie (?:do końca )?rozumiem,? (?:po co|dlaczego)\b",
        r"\b(?:średnio|słabo) to widzę\b|\bnie widzę sensu\b|\bto się nie (?:uda|sprawdzi)\b",
        # round 8: 'X is no cure for'
        r"\bnie jest lekarstwem\b|\bto nie jest lekarstwo\b",
        # round 9: 'a bit weak that', 'I don't get this craze for'
        r"\btroch[eę] s[lł]abo\b",
        r"\bnie rozumiem (?:tego |tej )?(?:parcia|mody|zachwytu|fascynacji|obsesji)\b",
    ),
    resource_nouns=(
        r"\b(?:książka|książkę|książki|artykuł|raport|przewodnik|archiwum|podręcznik|baza danych)\b",
        # round 6: inflected nouns, identification keys, and 'polecam' (I recommend) before a named work
        r"\b(?:artykuł\w*|książk\w*|raport\w*|przewodnik\w*|podręcznik\w*|poradnik\w*|publikacj\w*|monografi\w*|materiał(?:y|ów|ach)|kurs(?:u|y|ie)?|podcast\w*|nagrani\w*|wytyczn\w*|kanał(?:u|e|em)?|blog\w*|repozytori\w*|ćwiczeni(?:a|ach)|słownik\w*|atlas\w*)\b",
        r"\bklucz(?:a|e)?\b",
        r"\bpolecam\b",
        r"\bzajrzyj (?:do|na)\b|\brzuć(?:cie)? okiem na\b",
        # round 7: free to download
        r"\b(?:za darmo|do pobrania|w otwartym dostępie)\b",
    ),
    senior_bio=(
        r"\b(?:położna|epidemiolog)\b",
        r"\b(?:biegł[ay]|ekspert(?:ka)?|specjalist(?:a|ka)|statystyk|doradca|analityk)\b",
        r"\b(?:rolni(?:k|czka)|hodowca|sadowni(?:k|czka))\b",
        # round 8: clinical, language and fishing trades
        r"\b(?:pielęgniar(?:ka|z)|lekar(?:z|ka)|farmaceut(?:a|ka)|tłumacz(?:ka)?|rybak)\b",
    ),
    experience=(
        r"\b(?:robiliśmy|testowaliśmy|mieliśmy) (?:to|podobn)",
        r"\bu nas\b",
        r"\bu nas\b|\b(?:filtrujemy|mierzymy|używamy|robimy)\b",
        # round 6: from experience, in our lab/farm
        r"\bu mnie\b",
        r"\bw (?:naszym|moim) (?:zespole|laboratorium|gospodarstwie|urzędzie|instytucie|archiwum|zakładzie)\b",
    ),
    them_contact=(
        r"\b(?:zadzwoń|napisz|odezwij się) do (?:nich|niej|niego)\b",
        r"\bnapisz do nich\b",
        r"\bskontaktuj się z nimi\b",
        # round 6: plural imperatives, 'zapytaj ich'
        r"\b(?:napiszcie|zadzwońcie|odezwijcie się) do nich\b|\bskontaktujcie się z nimi\b|\bzapytaj(?:cie)? (?:ich|u nich)\b",
        # round 7: "write to them" after an organisation named as the subject
        r"\bdo nich (?:napisać|zadzwonić|się odezwać)\b",
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
        r"\b(?:fajny|świetny|super) pomysł\b",
        r"\bczekam na (?:wyniki|efekty)\b",
        r"\bbrzmi (?:super|świetnie|ciekawie)\b",
        r"\bkibicuję\b",
        # round 6: thanks, laughter, 'racja', 'popieram'
        r"\b(?:dzięki za|dziękuję za|ciekawy wątek|świetny wątek|ciekawe pytanie|dobre pytanie)\b",
        r"\b(?:haha\w*|xd+|racja|popieram|brawo|gratulacje|gratuluję)\b",
        r"\b(?:zapisuję|śledzę (?:wątek|temat))\b|\bteż jestem ciekaw[ay]\b",
        r"^\s*(?:no właśnie|otóż to|święta prawda|dokładnie tak)\b",
        r"\bhehe\w*",
    ),
    referral_shapes=(
        r"(?i:\b(?:napisz(?: maila)? do|zapytaj|skontaktuj się z|odezwij się do|porozmawiaj z|pogadaj z)\s+)"
        r"(?:(?i:dr|prof|pani|pana|panią|panem)\.?\s+)?(?P<name>{NAME})",
    ),
    not_name=frozenset("napisz zapytaj skontaktuj odezwij porozmawiaj pogadaj polecam".split()),
    question_any=(
        r"\b(?:lub|albo|co|kto|który|która|które)\b",
        r"\b(?:czy|jak|dlaczego|gdzie|kiedy|ile)\b",
        r"\bjak(?:i|a|ie|iej|im|ich|iego|ą)\b",
        # round 6: 'a czemu nie ...?', 'skąd ...?'
        r"\b(?:czemu|po co|skąd|dokąd|kogo|komu|jaki|jakie|jaką|które|którą|którego|w jaki sposób)\b",
        # round 6: a yes/no question without 'czy' ('Macie jakieś dane?', 'Jest na to sposób?')
        r"\b(?:macie|masz|wiecie|wiesz|robicie|robisz|planujecie|planujesz|myślicie|myślisz|chcecie|chcesz|możecie|możesz|używacie|używasz|znasz|znacie|próbowaliście|próbowałeś|próbowałaś|jest|są|będzie)\b",
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
