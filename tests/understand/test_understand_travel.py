"""Issue 19: cue shapes in the languages the rules were extended to, with sentences written for these tests
(not corpus rows): a referral by handle, by name (its shape in the script), by organisation, an offer, a
critique and an insult in each."""

from __future__ import annotations

import pytest

from bot.understand.pipeline import understand

# code, kind, text, intent, the referral names (or handles) expected
CASES = [
    ("sv", "handle", "Prata med @lina_berg om det här, hon kan ämnet.", "referral", {"lina_berg"}),
    (
        "sv",
        "name",
        "Kontakta Annika Lövgren på länsmuseet, hon vet allt om brevsamlingen.",
        "referral",
        {"Annika Lövgren"},
    ),
    ("sv", "offer", "Jag kan gärna skicka våra enkäter, hör av dig.", "offer", set()),
    ("sv", "critique", "Jag håller inte med, premissen är fel från början.", "critique", set()),
    ("sv", "abuse", "Vilken idiot du är.", "abuse", set()),
    ("pl", "handle", "Zapytaj @kowal_arch, on zna te archiwa.", "referral", {"kowal_arch"}),
    ("pl", "name", "Napisz do Jadwigi Nowak z muzeum, ona to wie najlepiej.", "referral", {"Jadwiga Nowak"}),
    ("pl", "offer", "Chętnie pomogę z ankietą, napisz do mnie.", "offer", set()),
    ("pl", "critique", "Nie zgadzam się, to założenie jest błędne.", "critique", set()),
    ("pl", "abuse", "Ty kretynie, daj spokój.", "abuse", set()),
    (
        "id",
        "name",
        "Coba hubungi Bu Ratna Wijaya di puskesmas, beliau paham soal ini.",
        "referral",
        {"Ratna Wijaya"},
    ),
    ("id", "offer", "Saya bisa bantu kirim datanya, silakan DM saya.", "offer", set()),
    ("id", "critique", "Saya kurang setuju, premisnya agak keliru menurut saya.", "critique", set()),
    ("id", "abuse", "Dasar goblok, pertanyaan macam apa ini.", "abuse", set()),
    (
        "tr",
        "name",
        "Bu konuda Selin Aydın'a sorun, yıllardır bununla uğraşıyor.",
        "referral",
        {"Selin Aydın"},
    ),
    ("tr", "name", "Kerem Bey ile görüşün, arşivi o yönetiyor.", "referral", {"Kerem"}),
    ("tr", "offer", "Size anket formunu gönderebilirim, bana yazın.", "offer", set()),
    ("tr", "critique", "Katılmıyorum, bence varsayım tamamen yanlış.", "critique", set()),
    (
        "vi",
        "name",
        "Bạn thử liên hệ anh Phạm Quốc Huy ở viện, anh ấy làm mảng này.",
        "referral",
        {"Phạm Quốc Huy"},
    ),
    ("vi", "offer", "Mình có thể gửi tài liệu cho bạn, cứ inbox mình nhé.", "offer", set()),
    ("vi", "critique", "Mình không đồng ý, tiền đề của câu hỏi có vấn đề.", "critique", set()),
    ("hi", "name", "आप सुनीता वर्मा से बात कीजिए, वह इसी विषय पर काम करती हैं।", "referral", {"सुनीता वर्मा"}),
    ("hi", "org", "सेवा स्वास्थ्य फाउंडेशन से संपर्क करें, उनके पास आंकड़े हैं।", "referral", {"सेवा स्वास्थ्य फाउंडेशन"}),
    ("hi", "name", "Anjali Rao se baat karo, woh is field mein expert hai.", "referral", {"Anjali Rao"}),
    ("hi", "offer", "मैं आपको अपना डेटा भेज सकता हूँ, मुझे ईमेल कीजिए।", "offer", set()),
    ("hi", "critique", "मैं इससे सहमत नहीं हूँ, यह धारणा ही गलत है।", "critique", set()),
    ("hi", "abuse", "Kya bewakoof sawal hai, nalayak.", "abuse", set()),
    ("ar", "name", "تواصل مع د. يوسف منصور في الجامعة، فهو يعرف هذا المجال.", "referral", {"يوسف منصور"}),
    ("ar", "org", "راسل جمعية التاريخ الطبي لأنهم يحتفظون بالسجلات.", "referral", {"جمعية التاريخ الطبي"}),
    ("ar", "offer", "يسعدني أن أرسل لك الملفات، راسلني.", "offer", set()),
    ("ar", "critique", "لا أتفق مع هذا، الفرضية نفسها غير صحيحة.", "critique", set()),
    ("ar", "abuse", "سؤال سخيف من شخص غبي.", "abuse", set()),
    ("ko", "name", "이 주제라면 정하늘 교수님께 연락해 보세요.", "referral", {"정하늘"}),
    (
        "ko",
        "name",
        "말장난이 많으면 김하늘 번역가님께 연락해 보세요.",
        "referral",
        {"김하늘"},
    ),  # the job title is not the name
    ("ko", "org", "국립보건연구소에 문의해 보세요.", "referral", {"국립보건연구소"}),
    ("ko", "offer", "자료를 보내 드릴게요, 메일 주세요.", "offer", set()),
    ("ko", "critique", "전제가 잘못된 것 같아요. 동의하기 어렵습니다.", "critique", set()),
    ("ko", "abuse", "멍청한 질문이네요, 꺼져.", "abuse", set()),
]


@pytest.mark.parametrize(
    ("code", "kind", "text", "intent", "refs"), CASES, ids=[f"{c[0]}-{c[1]}-{i}" for i, c in enumerate(CASES)]
)
def test_each_language_says_it_in_its_own_shape(
    code: str, kind: str, text: str, intent: str, refs: set[str]
) -> None:
    u = understand(text, platform="bluesky")
    assert u.intent == intent
    assert {r.handle or r.name for r in u.referrals} == refs
    assert u.language == code or kind in ("handle",) or code in ("id", "pl", "sv", "tr")
    if kind == "org":
        assert [r.kind for r in u.referrals] == ["org"]


@pytest.mark.parametrize(
    "text",
    [
        "그분께 연락해 보세요.",  # a pronoun, not a name
        "आप उनसे बात कीजिए।",  # "them", not a name
        "تواصل مع الجامعة في هذا الموضوع",  # who to contact is not a person's name
    ],
)
def test_pronouns_and_particles_are_not_names(text: str) -> None:
    u = understand(text, platform="x")
    assert [r for r in u.referrals if r.kind == "person"] == []


# ------------------------------------------------------------------------ third round: precision that travels
@pytest.mark.parametrize(
    "text",
    [
        "Don't ask @greta_v, she never replies to strangers.",  # en
        "Frag bloß nicht @greta_v, sie antwortet nie.",  # de
        "No le preguntes a @greta_v, nunca contesta.",  # es
        "Ne demandez pas à @greta_v, elle ne répond jamais.",  # fr
        "Non chiedere a @greta_v, non risponde mai.",  # it
        "Não pergunte ao @greta_v, ele nunca responde.",  # pt
        "Vraag het vooral niet aan @greta_v.",  # nl (the object between verb and negation)
        "Fråga inte @greta_v, hon svarar aldrig.",  # sv
        "Nie pytaj @greta_v, ona nigdy nie odpisuje.",  # pl
        "Jangan tanya @greta_v, dia jarang balas.",  # id
        "Đừng hỏi @greta_v, chị ấy không trả lời đâu.",  # vi
        "لا تسأل @greta_v لأنها لا ترد أبدا",  # ar
        "@greta_v'ye sormayın, cevap vermiyor.",  # tr: the negation after the name
    ],
)
def test_a_negated_contact_verb_is_no_referral_in_any_language(text: str) -> None:
    u = understand(text, platform="x")
    assert "greta_v" not in {r.handle for r in u.referrals}


@pytest.mark.parametrize(
    "text",
    [
        "Don't ask Henrik Saarinen about it, he left the field.",
        "Ne demandez pas à Henrik Saarinen, il ne répond jamais.",
        "Jangan tanya Henrik Saarinen, dia sibuk sekali.",
        "Henrik Saarinen'e sormayın, bilmiyor.",
        "Henrik Saarinen se mat pucho, unhe nahi pata.",
        "सुनीता वर्मा से मत पूछो, उन्हें नहीं पता।",
        "정하늘 교수님께 연락하지 마세요.",
        "لا تتواصل مع يوسف منصور في هذا الأمر",
    ],
)
def test_a_negated_name_is_no_referral_in_any_language(text: str) -> None:
    # the rules' name shapes (span_model=False); the tagger's precision on these is tests/understand/test_spans.py's
    got = understand(text, platform="bluesky", span_model=False)
    assert [r for r in got.referrals if r.kind == "person"] == []


@pytest.mark.parametrize(
    "text",
    [
        "Chúng tôi dịch sang tiếng Tây Ban Nha (Mexico) và tiếng Nhật.",  # vi: a language after "tiếng"
        "Materinya tersedia dalam bahasa Jawa Kuno (abad ke-14) saja.",  # id: after "bahasa"
        "Wir haben Daten aus Kenia und Ghana. Lab und Feldteam teilen sie gern.",  # a sentence end ends a name
        "Er sammelt seit Jahrzehnten Postkarten aus dem 19. Jahrhundert.",  # de: nouns, not a name
        "Sie restauriert alte Karten (Stadtpläne, Atlanten) für Museen.",  # de: nouns, not a name
        "Estuvo en el Hospital de San Rafael Arcángel de Madrid (1990-2000).",  # es: a saint's name in an org
        "Trabajé en la Fundación Ana Lucía Prieto, Bogotá, dos años.",  # es: a person's name in an org
    ],
)
def test_language_names_sentence_ends_nouns_and_org_names_are_not_people(text: str) -> None:
    # the rules' name shapes (span_model=False); the tagger's precision on these is tests/understand/test_spans.py's
    got = understand(text, platform="bluesky", span_model=False)
    assert [r for r in got.referrals if r.kind == "person"] == []


def test_the_name_after_an_infinitive_contact_verb_is_found_and_the_org_name_is_not() -> None:
    u = understand(
        "Tienes que hablar con Lucía Fernández de la Torre: dirigió el archivo del Hospital de San Pablo.",
        platform="bluesky",
    )
    assert [r.name for r in u.referrals] == ["Lucía Fernández de la Torre"]


def test_german_names_after_a_contact_verb_still_count() -> None:
    u = understand("Schreib Lena Vogelsang vom Stadtarchiv, sie kennt die Bestände.", platform="bluesky")
    assert [r.name for r in u.referrals] == ["Lena Vogelsang"]


# ------------------------------------------------------------------- third round: recall in the weak languages
THIRD = [
    # offers
    ("ko", "제가 설문지 초안을 한번 검토해 드릴게요.", "offer"),
    ("sv", "Skickar gärna över vår mall för intervjuerna.", "offer"),
    ("hi", "मैं आपके लिए एक छोटा सर्वे डिज़ाइन कर सकती हूँ।", "offer"),
    ("hi", "Main aapke liye ek chhota survey design kar sakti hoon.", "offer"),
    ("id", "Aku mau bantu uji coba kuesionernya minggu depan.", "offer"),
    ("pl", "Mogę przejrzeć twoją ankietę w przyszłym tygodniu.", "offer"),
    ("ar", "يسعدني أن أراجع الاستبيان قبل إرساله.", "offer"),
    ("tr", "İstersen taslağı birlikte gözden geçirebiliriz.", "offer"),
    ("vi", "Cần gì thì cứ nhắn mình nhé, mình giúp được.", "offer"),
    ("en", "I could ask around my old department if anyone kept the files.", "offer"),
    ("es", "Si me mandas el borrador, se lo paso a mi directora.", "offer"),
    ("pt", "Posso conversar com você na semana que vem sobre o desenho do estudo.", "offer"),
    ("de", "Schicken Sie mir gern den Entwurf, ich schaue ihn mir an.", "offer"),
    # insults and spam
    ("en", "You're a parasite living off other people's work.", "abuse"),
    ("sv", "Du är så korkad att det gör ont.", "abuse"),
    ("hi", "Kitna besharam aadmi hai yeh.", "abuse"),
    ("id", "Dasar otak kosong, baca dulu sebelum nanya.", "abuse"),
    ("pl", "Co za matoł, szkoda słów.", "abuse"),
    ("ar", "أنت حقير ولا تفهم شيئا", "abuse"),
    ("tr", "Bu kadar beyinsiz bir soru görmedim.", "abuse"),
    ("vi", "Đồ mất dạy, hỏi gì mà ngớ ngẩn vậy.", "abuse"),
    ("pl", "Sprzedam bazę kontaktów do naukowców, tylko 150 zł!", "spam"),
    ("ar", "زيادة المتابعين الآن بخصم 70 لفترة محدودة", "spam"),
    ("vi", "Tăng 5.000 người theo dõi thật cho trang của bạn, inbox ngay!", "spam"),
    ("tr", "Hesabına takipçi lazımsa bize yaz, satın al, ucuz!", "spam"),
    ("id", "Jual followers aktif, diskon 40% hari ini saja.", "spam"),
    # critique
    ("sv", "En liten invändning: urvalet räcker inte för de slutsatserna.", "critique"),
    ("pl", "Drobna uwaga: na takie zmiany jest już za późno.", "critique"),
    ("hi", "असली सवाल यह है कि डेटा किसका है और कौन इसे रखेगा।", "critique"),
    ("en", "I'll be the contrarian: you may not need funding at all for a pilot this size.", "critique"),
    # questions by their particles, in sentences ending with "?"
    ("id", "Datanya dari kota atau dari desa?", "question"),
    ("hi", "Aap kis shehar mein survey karna chahte hain?", "question"),
    ("tr", "Bunu anketle mi yoksa görüşmeyle mi yapacaksınız?", "question"),
    ("sv", "Gäller det hela landet eller bara Skåne?", "question"),
    ("vi", "Bạn làm khảo sát online hay gặp trực tiếp?", "question"),
    # short thanks and agreement
    ("ko", "맞아요, 응원합니다!", "social"),
    ("tr", "Harika bir fikir, başarılar!", "social"),
    ("pl", "Super, trzymam kciuki!", "social"),
]


@pytest.mark.parametrize(
    ("code", "text", "intent"), THIRD, ids=[f"{c[0]}-{c[2]}-{i}" for i, c in enumerate(THIRD)]
)
def test_offers_insults_critique_questions_and_thanks_in_each_language(
    code: str, text: str, intent: str
) -> None:
    assert understand(text, platform="bluesky").intent == intent, code


NAMED = [
    ("ko", "그런 음악이면 박지우 작곡가님 추천드려요. 영어도 잘 하세요.", {"박지우"}),
    ("id", "Coba ngobrol sama rina susanti, dia peneliti gizi di Bandung.", {"rina susanti"}),
    ("vi", "Bạn nên liên hệ nhóm 'Bếp Chung' ở Đà Nẵng, họ làm việc này lâu rồi.", {"Bếp Chung"}),
    ("pl", "Tomasz Wrona z Muzeum Narodowego zna te zbiory, napisz do niego.", {"Tomasz Wrona"}),
    ("pl", "W Gdańsku: dr Ewa Sokół z Archiwum Państwowego. Napisz do niej.", {"Ewa Sokół"}),
    ("sv", "Du borde höra av dig till Maja Ekström, översättare i Lund.", {"Maja Ekström"}),
    (
        "en",
        "You need Tomás Ferreira-Lobo in Braga, he's been doing exactly this for years.",
        {"Tomás Ferreira-Lobo"},
    ),
    (
        "en",
        "I know Hana Kowalczyk, a producer at a small Warsaw studio, and she loves this genre.",
        {"Hana Kowalczyk"},
    ),
]


@pytest.mark.parametrize(("code", "text", "names"), NAMED, ids=[f"{c[0]}-{i}" for i, c in enumerate(NAMED)])
def test_names_by_their_shape_in_each_language(code: str, text: str, names: set[str]) -> None:
    u = understand(text, platform="bluesky")
    assert u.intent == "referral", code
    assert {r.name for r in u.referrals} == names


def test_a_quoted_group_after_a_group_word_is_an_organisation() -> None:
    u = understand("Bạn nên liên hệ nhóm 'Bếp Chung' ở Đà Nẵng, họ làm việc này lâu rồi.", platform="bluesky")
    assert [r.kind for r in u.referrals] == ["org"]
