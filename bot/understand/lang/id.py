"""Indonesian cue phrases: regex alternatives, each searched in lower-cased text (pure data)."""

from bot.understand.lang.base import Cues

CUES = Cues(
    code="id",
    stop_words=frozenset(
        "yang dan di ini itu dengan untuk tidak ada saya bisa dari ke juga aku kamu sudah kalau atau karena "
        "akan lebih sangat banyak kami kita mereka belum biasanya".split()
    ),
    question_words=("apa", "apakah", "bagaimana", "gimana", "kenapa", "mengapa", "siapa", "kapan", "berapa"),
    injection=(r"\babaikan (?:semua )?instruksi sebelumnya\b",),
    spam=(
        r"\b(?:jual|beli) (?:\d+ )?(?:followers?|pengikut)\b",
        r"\bdiskon \d+ ?%",
        r"\bpenghasilan tambahan\b|\bmodal \d[\d.,]*\s?(?:rb|ribu|k)\b|\bprofit \d+% per (?:hari|minggu)\b|\bdapatkan \d[\d.,]* followers\b|\border via wa\b",
        # round 7: follower selling ("jasa naikin followers", "10rb followers cuma 50rb", "garansi no drop")
        r"\bjasa (?:naikin |nambah |tambah )?(?:followers|pengikut|likes|subscribers?)\b|\bnaikin followers\b",
        r"\b\d+ ?(?:rb|ribu|k) (?:followers|pengikut) (?:cuma|hanya|harga)\b|\bgaransi no drop\b",
    ),
    abuse=(
        r"\b(?:otak kosong|tak tahu malu|sampah masyarakat)\b",
        r"\b(?:bodoh|goblok|tolol|bego|bangsat|kampret|dungu|otak udang)\b",
        r"\bdasar (?:bodoh|goblok|tolol|penipu|maling|bego)\b",
        r"\bkembali (?:lagi )?ke sekolah\b",
        r"\b(?:kamu|lu|lo|anda) (?:itu )?(?:bodoh|goblok|tolol|bego|penipu|maling)\b",
        r"\btidak tahu malu\b",
        r"\bbodoh banget\b|\bdasar (?:bodoh|goblok)\b",
        r"\bdasar (?:pengemis|parasit|benalu|sampah|munafik|norak|kampungan|pemalas|pecundang|sok tahu)\b",
        r"\b(?:pakar|peneliti|akademisi|dosen|profesor|ahli|orang|mahasiswa|kamu|lo|lu|anda) (?:\w+ )?sok (?:pintar|pinter|tahu|tau|jago|hebat|suci)\b",
        r"\b(?<!cara )(?<!bisa )tutup (?:aja |saja )?akun (?:lo|lu|loe|elo|elu|kamu|mu|anda)\b",
        # round 7: "dasar" with a political slur, "your work is useless"
        r"\bdasar (?:komunis|kadrun|cebong|penjilat|antek)\b",
        r"\b(?:kerjaan|penelitian|riset|tulisan|proyek) ?(?:lo|lu|mu|kamu|anda) (?:ga|gak|nggak|enggak|tidak) (?:ada )?guna(?:nya)?\b",
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
        r"\b(?:boleh|bisa) saya (?:kirim|bagikan|bantu|kenalkan|sambungkan)\b",
        r"\bsaya (?:bisa|dapat|siap) (?:kirim|bantu|membantu|mengirim|berbagi)\b",
        r"\bkalau (?:ibu|bapak|mas|mbak|kamu|anda|kakak) (?:berminat|tertarik|mau|butuh)\b",
        r"\bjapri (?:aja|saja)\b",
        r"\bhubungi saya\b",
        r"\bsaya bersedia\b",
        r"\bmau saya bantu\b",
        r"\bboleh aku kirim\w*|\bkirim aja\b",
        # round 8: 'may I DM / join / be interviewed'
        r"\bboleh (?:dm|ikut|diwawancara\w*|gabung|bantu)\b",
        # round 9: 'can help', 'just DM', 'just let me know', 'drop by', 'later I'll check'
        r"\b(?:saya|aku|kami) bisa bantu\b",
        r"\bdm aja\b(?! (?:dia|beliau|mereka|orangnya))",
        r"\bkabar(?:i|in) aja\b",
        r"\bmau banget ikut\b",
        r"\bmain aja ke\b",
        r"\bnanti (?:saya|aku|kami) (?:cek|bantu|lihat|liat|kirim)\b",
        r"\bkalau mau,? (?:bisa|boleh)\b",
    ),
    critique=(
        r"\bsebenarnya (?:bukan|tidak)\b",
        r"\bterlalu (?:dini|lambat|telat)\b",
        r"\b(?:kurang|tidak|nggak|gak) setuju\b",
        r"\bpremis(?:nya)? (?:\w+ )?(?:salah|keliru|bermasalah)",
        r"\bsaya ragu\b",
        r"\bpertanyaannya (?:kurang tepat|salah|keliru)",
        r"\bbukan berarti\b",
        r"\bmasalahnya bukan\b",
        r"\bitu masalah \w+, bukan\b",
        r"\bsaya (?:kurang|tidak) setuju\b",
        r"\bpertanyaannya (?:kurang|tidak) tepat\b",
        r"\bkurang tepat\b",
        r"\bterlalu (?:menyederhanakan|berlebihan)\b",
        r"\bmasalah sebenarnya\b",
        r"\bberlebihan\b",
        r"\bmenyesatkan\b|\bga cukup\b|\btidak cukup\b|\bhati-hati (?:banget )?(?:narik|menarik) kesimpulan\b",
        # round 7: 'jujur (aja)' opening, 'kurang pas', 'agak keberatan', 'terlalu sedikit'
        r"^\s*jujur(?: aja| saja| ya)?\b",
        r"\bkurang pas\b|\bagak keberatan\b|\bterlalu (?:sedikit|kecil|ambisius|optimis)\b",
        # round 9: 'careful using X as'
        r"\bhati(?:-hati|2) (?:pakai|dengan|kalau|kalo|menjadikan|menggunakan)\b",
    ),
    resource_nouns=(
        r"\b(?:buku|artikel|panduan|laporan|jurnal|arsip|modul|pedoman)\b",
        # round 8: tutorials
        r"\btutorial\w*",
    ),
    senior_bio=(
        r"\b(?:bidan|epidemiolog)\b",
        r"\b(?:ahli|pakar|konsultan|statistikawan|analis)\b",
        r"\b(?:petani|peternak|pekebun)\b",
        # round 8: clinical, language and fishing trades
        r"\b(?:perawat|dokter|apoteker|penerjemah|nelayan)\b",
    ),
    experience=(
        r"\b(?:kami|kita) (?:pernah|sudah) (?:mencoba|coba|pakai|menggunakan)\b",
        r"\bkami\b",
        r"\bpengalaman (?:saya|kami|aku|gue|gw)\b|\bdari pengalaman\b|\b(?:saya|aku) pernah (?:coba|mencoba|pakai)\b|^\s*pernah coba\b",
    ),
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
        r"\bseru\b",
        r"\bditunggu hasilnya\b",
        r"\bide (?:bagus|keren)\b",
        r"\bsemoga sukses\b",
        r"\bsukses selalu\b",
        r"\bkeren banget\b",
    ),
    question_any=(
        r"\b(?:atau|kah)\b",
        r"\b(?:apa|apakah|bagaimana|gimana|kenapa|mengapa|siapa|kapan|berapa|nggak|gak|ya)\b",
        # round 9: 'not' as a yes/no tag and 'which'
        r"\b(?:ga|ngga|enggak|mana)\b",
    ),
    not_name=frozenset("pak bu ibu bapak mbak mas kak bang hubungi coba tanya kontak".split()),
    referral_shapes=(
        r"(?i:\b(?:hubungi|tanya(?:kan)?(?: ke| sama)?|kontak|ngobrol (?:dengan|sama)|bicara dengan)\s+)(?:(?:pak|bu|ibu|bapak|mbak|mas|kak)\s+)?(?P<name>[a-z]{3,12} [a-z]{3,12}),\s(?:dia|beliau)\b",
        r"(?i:\b(?:hubungi|tanya(?:kan)?(?: ke| sama)?|kontak|ngobrol (?:dengan|sama)|bicara dengan)\s+)"
        r"(?i:(?:pak|bu|ibu|bapak|mbak|mas|kak|dr\.?|prof\.?)\s+)?(?P<name>{NAME})",
        # round 7: an honorific and a name opening the reply or a sentence, then a contact verb later in the reply:
        # "Mbak Dewi dari LSM X paham banget soal ini. Hubungi aja beliau"
        r"(?:^|[.!?]\s+|^@\S+\s+)(?:Pak|Bu|Ibu|Bapak|Mas|Mbak|Kak) (?P<name>{NAME}|[A-Z][a-z]{2,12})"
        r"(?=,? (?:dari|di|yang|ketua|kepala)\b[^\n]{0,250}?\b(?:[Hh]ubungi|[Kk]ontak|[Ee]mail|DM|[Cc]hat|[Kk]enalin|"
        r"dihubungi|diajak ngobrol)\b)",
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
