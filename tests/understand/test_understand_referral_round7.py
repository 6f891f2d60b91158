"""Round 7: name-only referrals on new owners (sentences and names written for these tests, rules only)."""

from __future__ import annotations

import pytest

from bot.understand.pipeline import understand


def _names(text: str) -> list[str]:
    u = understand(text, platform="bluesky", intent_model=False, span_model=False)
    return sorted((r.name or r.handle or "").lower() for r in u.referrals)


# an organisation as the subject, the recommendation ("write to them") in a later sentence
@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Vattenlabbet i Uppsala har en grupp som mäter mikroplast. Hör av dig till dem, de svarar snabbt.",
            "vattenlabbet",
        ),
        (
            "Groenwerk heeft een fonds voor buurtprojecten in Utrecht. Mail ze gerust, ze denken mee.",
            "groenwerk",
        ),
        (
            "Das KLIMA-Netz Kassel hat eine Arbeitsgruppe dazu, eine Mail an die lohnt sich.",
            "klima-netz kassel",
        ),
        ("Ekosieć ma zespół od edukacji. Warto do nich napisać, odpisują szybko.", "ekosieć"),
        ("AguaViva tiene un programa con escuelas rurales. Yo les escribiría directamente.", "aguaviva"),
        (
            "Terre Commune à Nantes organise des ateliers de réparation. Ça vaut le coup de leur écrire.",
            "terre commune",
        ),
        (
            "O MarLimpo tem uma equipa de voluntários no Algarve. Vale escrever-lhes antes do verão.",
            "marlimpo",
        ),
        (
            "La Fédération des Apiculteurs et Jardiniers de Bretagne a un groupe sur le sujet, écrivez-leur.",
            "fédération des apiculteurs et jardiniers de bretagne",
        ),
    ],
)
def test_an_organisation_as_subject_then_contact_them(text: str, name: str) -> None:
    assert name in _names(text)


@pytest.mark.parametrize(
    "text",
    [
        "Warto do nich napisać, chociaż odpowiadają wolno.",  # no organisation named at all
        "Escríbeles a los de la cooperativa, son majos.",  # a contact verb opening the sentence
        "Det har vi också provat. Skriv till dem om du vill veta mer.",  # a pronoun subject
        "Ze heeft een mooi project gedaan. Mail ze als je wilt.",
    ],
)
def test_sentence_words_are_not_organisations(text: str) -> None:
    assert _names(text) == []


def test_an_article_before_the_name_is_not_kept() -> None:
    assert "fp habitat" not in _names(
        "AFP Habitat ya hizo pilotos con empleadores. Yo les escribiría directo."
    )


# a person first called by one name, then by the full name
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ebru Hanım'la konuşun bence. Ebru Tekin, Ankara'da bir vakıfta çalışıyor.", "ebru tekin"),
        (
            "Talk to my old boss Tariq, he ran the depot for years. Tariq Mahmood. Happy to connect you.",
            "tariq mahmood",
        ),
        (
            "Frau Wenzel (Clara Wenzel, HS Bremen) forscht seit Jahren dazu. Schreib ihr einfach.",
            "clara wenzel",
        ),
    ],
)
def test_a_name_restated_in_full_is_filed_in_full(text: str, name: str) -> None:
    assert _names(text) == [name]


def test_a_different_person_named_later_is_not_merged() -> None:
    names = _names("Talk to my colleague Tariq, he knows the tariffs. Ask about Jonas Berg's paper too.")
    assert "tariq" in names and "tariq berg" not in names


# initials: "R.K. Sethi", "Kyle B. from the ..."
@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Contact S.P. Varma at the port trust, he digitised the old ledgers.", "s.p. varma"),
        ("Dana W. from the county water office ran exactly this survey. Ask her for the forms.", "dana w."),
    ],
)
def test_initials_in_a_name(text: str, name: str) -> None:
    assert name in _names(text)


def test_a_plan_letter_is_not_a_person() -> None:
    assert _names("We went with Plan B. It worked, mostly. Nobody to ask about it now.") == []


# Vietnamese and Indonesian: kinship word or honorific + name as subject, a contact verb with a pronoun later
@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Chị Phạm Thị Ngọc ở Trung tâm Nước sạch làm đúng mảng này. Anh nhắn chị ấy thử nhé.",
            "phạm thị ngọc",
        ),
        (
            "Anh Đỗ Quang Huy, kỹ sư ở nhà máy nước Hải Dương, rất nhiệt tình. Chị liên hệ thử nha, anh ấy trả lời nhanh.",
            "đỗ quang huy",
        ),
        (
            "Mbak Dewi Lestari dari komunitas petani Garut paham banget soal ini. Hubungi aja beliau.",
            "dewi lestari",
        ),
    ],
)
def test_honorific_and_name_then_a_contact_pronoun(text: str, name: str) -> None:
    assert name in _names(text)


@pytest.mark.parametrize(
    "text",
    [
        "Chị Phạm Thị Ngọc ở Hà Nội cũng hỏi câu này tuần trước, chưa ai trả lời.",  # no contact verb after
        "Mas Budi Santoso juga nanya hal yang sama minggu lalu, belum ada jawaban. Semangat ya!",  # no contact
    ],
)
def test_honorific_and_name_without_contact_is_not_a_referral(text: str) -> None:
    assert _names(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("جمعية الندى في إربد عندها برنامج تدريب للمتطوعين. اكتبيلهم، بيردوا بسرعة.", None),
        ("Dựa án này bên mình không làm, nhưng Viện Nước Sạch có nhóm riêng. Thử email họ xem.", None),
        ("Türkiye Su Vakfı bu konuda çalışıyor, onlara yazmak bence en kısa yol.", "türkiye su vakfı"),
    ],
)
def test_them_contact_cues_in_more_languages(text: str, name: str | None) -> None:
    from bot.understand.orgs import _THEM_CONTACT

    assert _THEM_CONTACT.search(text)
    if name:
        assert name in _names(text)
