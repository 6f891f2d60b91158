"""Indonesian cue phrases: regex alternatives, each searched in lower-cased text (pure data)."""

from bot.understand.lang.base import Cues

CUES = Cues(
    code="id",
    stop_words=frozenset(
        "yang dan di ini itu dengan untuk tidak ada saya bisa dari ke juga aku kamu sudah kalau atau karena "
        "akan lebih sangat banyak kami kita mereka belum biasanya".split()
    ),
    question_words=("apa", "apakah", "bagaimana", "gimana", "kenapa", "mengapa", "siapa", "kapan", "berapa"),
    injection=(),
    spam=(
        r"\b(?:jual|beli) (?:\d+ )?(?:followers?|pengikut)\b",
        r"\bdiskon \d+ ?%",
    ),
    abuse=(
        r"\b(?:otak kosong|tak tahu malu|sampah masyarakat)\b",
        r"\b(?:bodoh|goblok|tolol|bego|bangsat|kampret|dungu|otak udang)\b",
    ),
    offer=(
        r"\b(?:saya|aku|kami) (?:mau|ingin|akan) (?:\w+ )?(?:bantu|membantu|berbagi|kirim|mengirim|menguji|tes|nyoba)\b",
        r"\b(?:lab|tim|kelompok|kantor) (?:kami|saya) (?:bisa|siap|bersedia|dapat) (?:\w+ )?(?:menampung|menerima|membantu|bantu)",
        r"\bkalau (?:butuh|perlu|mau)\b[^.?!]{0,40}\b(?:saya|aku|kami) (?:bisa|mau|siap)\b",
        r"\b(?:saya|aku) (?:bisa|dapat|siap|bersedia|senang|boleh) (?:\w+ ){0,2}?(?:bantu|membantu|kirim|"
        r"mengirim|berbagi|kenalkan|kenalin|memperkenalkan|sharing|ngobrol|diskusi)",
        r"\b(?:dm|japri|hubungi|kontak|email) (?:saya|aku)\b",
        r"\bsilakan (?:dm|hubungi|kontak|japri|email)\b",
        r"\bdengan senang hati\b",
        r"\bkabari (?:saya|aku)\b",
    ),
    critique=(
        r"\bsebenarnya (?:bukan|tidak)\b",
        r"\bterlalu (?:dini|lambat|telat)\b",
        r"\b(?:kurang|tidak|nggak|gak) setuju\b",
        r"\bpremis(?:nya)? (?:\w+ )?(?:salah|keliru|bermasalah)",
        r"\bmasalahnya bukan\b",
        r"\bsaya ragu\b",
        r"\bpertanyaannya (?:kurang tepat|salah|keliru)",
    ),
    resource_nouns=(r"\b(?:buku|artikel|panduan|laporan|jurnal|arsip|modul|pedoman)\b",),
    senior_bio=(),
    experience=(r"\b(?:kami|kita) (?:pernah|sudah) (?:mencoba|coba|pakai|menggunakan)\b",),
    them_contact=(r"\b(?:hubungi|email|kontak|tanya) mereka\b",),
    contact_before_handle=(
        r"\bhubungi",
        r"\bcoba tanya(?: ke)?",
        r"\btanya(?:kan)?(?: ke| sama)?",
        r"\bkontak",
    ),
    contact_before_name=(
        r"\bhubungi",
        r"\bcoba (?:tanya|hubungi|kontak)(?: ke| sama)?",
        r"\btanya(?:kan)?(?: ke| sama| pada)?",
        r"\bkontak",
        r"\bngobrol (?:dengan|sama)",
        r"\bbicara dengan",
        r"\b(?:rekan|teman|kolega|kenalan|dosen) saya",
    ),
    contact_single=(),
    recommends=(r"\b(?:hubungi|tanya|kontak|ngobrol|ahli|pakar)",),
    contact_org=(
        r"\btanya(?:kan)? langsung ke",
        r"\bhubungi",
        r"\bcoba (?:tanya|hubungi|kontak)(?: ke)?",
        r"\btanya(?:kan)? ke",
        r"\bkontak",
    ),
    social=(
        r"\b(?:semangat|keren|mantul|setuju)\b",
        r"^\s*(?:makasih|terima kasih)\b",
        r"\bterima kasih\b",
        r"\bsetuju banget\b",
        r"\bwkwk",
        r"\bmantap\b",
        r"\bnyimak\b",
    ),
    question_any=(
        r"\b(?:atau|kah)\b",
        r"\b(?:apa|apakah|bagaimana|gimana|kenapa|mengapa|siapa|kapan|berapa|nggak|gak|ya)\b",
    ),
    not_name=frozenset("pak bu ibu bapak mbak mas kak bang hubungi coba tanya kontak".split()),
    referral_shapes=(
        r"(?i:\b(?:hubungi|tanya(?:kan)?(?: ke| sama)?|kontak|ngobrol (?:dengan|sama)|bicara dengan)\s+)(?:(?:pak|bu|ibu|bapak|mbak|mas|kak)\s+)?(?P<name>[a-z]{3,12} [a-z]{3,12}),\s(?:dia|beliau)\b",
        r"(?i:\b(?:hubungi|tanya(?:kan)?(?: ke| sama)?|kontak|ngobrol (?:dengan|sama)|bicara dengan)\s+)"
        r"(?i:(?:pak|bu|ibu|bapak|mbak|mas|kak|dr\.?|prof\.?)\s+)?(?P<name>{NAME})",
    ),
    not_contact=(
        r"\b(?:jangan|jgn|tidak usah|nggak usah|gak usah|ga usah) (?:coba )?(?:tanya(?:kan)?|hubungi|kontak|ngobrol|bicara)(?: (?:ke|sama|dengan|pada))?",
    ),
    contact_pronoun=(
        r"\b(?:hubungi|tanya|kontak|email|chat) (?:dia|beliau)\b",
        r"\b(?:hubungi|tanya|kontak)(?:i)?nya\b",
    ),
    staff_of=(r"\b(?:orang-orang|teman-teman|tim|kawan-kawan) (?:di|dari)",),
)
