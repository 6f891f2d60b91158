"""Lead priority, round 8: word counts per script (Devanagari with its marks, Korean eojeol, Vietnamese syllables,
Chinese and Japanese characters) and the priority shapes that rely on them: clinical, language and fishing trades
in a bio, years in a trade, first-hand cues in Korean and Vietnamese, and an answer that says to contact someone.
Sentences and bios written for these tests; negatives keep general answers and other senses at medium."""

from __future__ import annotations

import pytest

from bot.understand.intent import EXPERIENCE
from bot.understand.normalise import count_words
from bot.understand.priority import _PRACTICE, _SENIOR_BIO, lead_priority


def _answer(body: str, bio: str = "") -> str:
    return lead_priority("answer", body, count_words(body), bio, False, False)


# ------------------------------------------------------------------------------------------- word counts
@pytest.mark.parametrize(
    ("text", "low", "high"),
    [
        ("We tried this method last year and it worked.", 9, 9),
        ("I don't think it's that simple.", 6, 6),
        # Devanagari: a vowel sign or virama belongs to its word (six words, not twelve)
        ("हमने पिछले साल यह तरीका आज़माया", 6, 6),
        ("किसानों को सरकारी योजना की जानकारी नहीं मिलती", 8, 8),
        # Arabic: one word per spaced word, harakat included
        ("جرّبنا هذه الطريقة في المختبر", 5, 5),
        # Korean: six eojeol read like about nine English words, counted once (not eojeol plus syllables)
        ("저희는 작년에 이 방법을 직접 썼어요", 8, 10),
        # Vietnamese: twelve syllables are about nine words
        ("Năm ngoái chúng tôi đã thử phương pháp này ở trang trại", 8, 10),
        # Chinese and Japanese: two characters a word, not also each unspaced run
        ("我们去年在农场试过这个方法", 5, 7),
        ("私たちは去年この方法を試しました", 7, 9),
        ("", 0, 0),
        ("👍👍 42", 0, 0),
    ],
)
def test_count_words_per_script(text: str, low: int, high: int) -> None:
    assert low <= count_words(text) <= high


def test_hangul_is_not_counted_twice() -> None:
    spaced = "데이터는 충분하지 않았어요"
    assert count_words(spaced) == count_words(spaced.replace(" ", "  "))
    assert count_words(spaced) <= 5  # three eojeol, about five English words


def test_a_longer_hindi_text_counts_like_its_words() -> None:
    text = "गाँव के लोग पहले पंचायत से बात करते हैं और फिर ज़िले के अधिकारी से"
    assert count_words(text) == len(text.split())


# ------------------------------------------------------------------------------------------- bios
@pytest.mark.parametrize(
    "bio",
    [
        "Community nurse, rural practice",
        "Conference interpreter (EN/FR)",
        "Krankenschwester auf der Intensivstation",
        "Enfermera de urgencias",
        "Infirmière libérale en Bretagne",
        "Infermiera di famiglia",
        "Huisarts in Drenthe",
        "Pielęgniarka środowiskowa",
        "Enfermeiro de família",
        "Distriktssköterska",
        "Köy hemşiresi",
        "Perawat puskesmas",
        "Điều dưỡng khoa nhi",
        "소아과 간호사",
        "訪問看護師",
        "社区护士",
        "सामुदायिक नर्स",
        "ممرضة في مستشفى ريفي",
        "Software tester, accessibility",
    ],
)
def test_trade_bios_are_senior(bio: str) -> None:
    assert _SENIOR_BIO.search(bio.lower())


@pytest.mark.parametrize(
    "bio",
    ["Research software engineer", "Game designer", "PhD researcher in sociology", "Mother of two, Leeds"],
)
def test_other_bios_are_not_senior(bio: str) -> None:
    assert not _SENIOR_BIO.search(bio.lower())


# ------------------------------------------------------------------------------------------- years in a trade
@pytest.mark.parametrize(
    "text",
    [
        "Midwife, 12 yrs in community care.",
        "I have done this for ten years in two hospitals.",
        "Soy enfermera y llevo 8 años en urgencias.",
        "Je suis agricultrice depuis 15 ans.",
        "Ich bin Landwirtin, seit 20 Jahren auf dem Hof.",
        "Jag är sjuksköterska och har jobbat i 12 år.",
        "Jestem pielęgniarką od 10 lat.",
        "15 yıldır balıkçıyım.",
        "Saya sudah 10 tahun jadi perawat.",
        "Tôi làm nghề này 10 năm rồi.",
        "간호사 12년차예요.",
        "看護師歴10年です。",
        "我做护士做了10年。",
        "मैं दस साल से नर्स हूँ।",
        "أعمل ممرضة منذ 10 سنوات",
    ],
)
def test_years_in_a_trade(text: str) -> None:
    assert _PRACTICE.search(text.lower())


@pytest.mark.parametrize(
    "text",
    [
        "The law changed 10 years ago.",
        "Hace 10 años que cambió la ley.",
        "서울에 온 지 10년째예요.",
        "Sverige har haft varningar sedan 2013.",
        "A 5-year plan is too long.",
    ],
)
def test_other_durations_are_not_practice(text: str) -> None:
    assert not _PRACTICE.search(text.lower())


def test_practice_in_the_answer_makes_it_high() -> None:
    body = (
        "Nurse for 15 years in home care: families need one number that answers at night, and a plan on the "
        "fridge so nobody calls an ambulance in a panic."
    )
    assert _answer(body) == "high"


def test_practice_in_the_bio_makes_it_high() -> None:
    body = (
        "The paperwork is the real problem, so keep the forms short and tell people who reads them and why "
        "they are needed at all."
    )
    assert _answer(body, "Home care, 12 yrs") == "high"
    assert _answer(body, "Mother of two, Leeds") == "medium"


# ------------------------------------------------------------------------------------------- first-hand cues
@pytest.mark.parametrize(
    "text",
    [
        "저희 병원은 야간 인력을 따로 둡니다",
        "저희 측정으로는 차이가 거의 없었어요",
        "작년에 직접 해봤는데 별로였어요",
        "Trại mình chuyển sang thức ăn mới từ tháng trước",
        "Khoa em thử lịch mới ba tháng",
    ],
)
def test_first_hand_korean_vietnamese(text: str) -> None:
    assert EXPERIENCE.search(text.lower())


@pytest.mark.parametrize(
    "text",
    ["저 사람들은 잘 몰라요", "한국은 제도가 달라요", "Nhà nước chưa có quy định", "Nhóm này rất nổi tiếng"],
)
def test_not_first_hand_korean_vietnamese(text: str) -> None:
    assert not EXPERIENCE.search(text.lower())


# ------------------------------------------------------------------------------------------- contact pointers
@pytest.mark.parametrize(
    "body",
    [
        "The regional archive has the whole run of union minutes from the fifties, write to them and mention "
        "the project.",
        "पुणे के एक संगठन ने यही काम पिछले साल किया था, उनसे एक बार बात कीजिए, वे मदद करेंगे।",
    ],
)
def test_answer_pointing_at_a_contact_is_high(body: str) -> None:
    assert _answer(body) == "high"


@pytest.mark.parametrize(
    "body",
    [
        "Please don't call them 'helpers' in the report, they are co-researchers and should be credited as "
        "such in every output.",
        "Interview each candidate first and ask them to name one result in their field that they think is "
        "overhyped by the press.",
    ],
)
def test_naming_or_method_them_is_not_a_contact(body: str) -> None:
    assert _answer(body) == "medium"


# ------------------------------------------------------------------------------------------- thin vs substantive
def test_thin_korean_question_is_low() -> None:
    body = "수어도 포함인가요?"
    assert lead_priority("question", body, count_words(body), "", False, False) == "low"


def test_hindi_short_critique_is_low() -> None:
    body = "यह सवाल ही ग़लत है।"
    assert lead_priority("critique", body, count_words(body), "", False, False) == "low"


def test_general_answer_without_expertise_stays_medium() -> None:
    body = "한국은 제도가 지역마다 조금씩 달라서 먼저 구청에 확인하는 게 좋아요."
    assert _answer(body) == "medium"
