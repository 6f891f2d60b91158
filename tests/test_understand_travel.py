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
    ("pl", "name", "Napisz do Jadwigi Nowak z muzeum, ona to wie najlepiej.", "referral", {"Jadwigi Nowak"}),
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
