"""Referral shapes that travel to new owners and languages (sentences written for these tests)."""

from __future__ import annotations

import pytest

from bot.understand.pipeline import understand


def _refs(text: str) -> list[tuple[str | None, str | None, str]]:
    u = understand(text, platform="bluesky", intent_model=False)
    return [(r.handle, r.name, r.kind) for r in u.referrals]


def _names(text: str) -> list[str]:
    return [(n or "").lower() for _h, n, _k in _refs(text)]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Try reaching out to K. Mensah, she built the firmware for the meters.", "k. mensah"),
        ("Talk to A. B. Achterberg at the port authority about the loggers.", "a. b. achterberg"),
    ],
)
def test_a_surname_after_initials_is_a_person_after_a_contact_verb(text: str, name: str) -> None:
    assert _names(text) == [name]


def test_a_cited_author_with_initials_is_not_a_referral() -> None:
    assert _refs("See J. Okafor et al. (2021) for the numbers on spoilage.") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("chiedi a marta colombo, ha gestito la certificazione l'anno scorso.", "marta colombo"),
        ("mail even met femke van dijk van het klimaatteam, die weet alles van bomen.", "femke van dijk"),
        ("habla con maría josé pardo, ella lleva años midiendo esto.", "maría josé pardo"),
        ("pergunte ao joão batista, ele sabe tudo sobre isso.", "joão batista"),
        ("write to lena hartwig at the port, she ran the pilot.", "lena hartwig"),
    ],
)
def test_a_lower_case_full_name_after_a_contact_verb_is_a_person(text: str, name: str) -> None:
    assert _names(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "ask local planners, they know the streets.",
        "ask a pharmacist, she will know.",
        "contact tech support, he said they reply fast.",
        "Mijn promotor werkt precies hieraan (hitte en steden) en zoekt nog mensen.",
        "don't bother with lena hartwig, she never answers.",
    ],
)
def test_lower_case_words_after_a_contact_verb_that_are_not_names_are_not_referrals(text: str) -> None:
    assert _refs(text) == []


def test_a_name_followed_by_its_x_url_is_one_referral_with_the_handle() -> None:
    refs = _refs("Write to Maria Lindholm (x.com/mlind_ops), she ran the pilot.")
    assert [r[:2] for r in refs] == [("mlind_ops", "Maria Lindholm")]


def test_a_vietnamese_four_part_name_is_read_whole() -> None:
    assert _names("Anh nên liên hệ chị Trần Thị Ngọc Lan ở bệnh viện, chị ấy biết rõ.") == [
        "trần thị ngọc lan"
    ]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Anh thử liên hệ Hợp tác xã Nông nghiệp Đồng Tháp, họ cần dữ liệu.",
            "hợp tác xã nông nghiệp đồng tháp",
        ),
        ("Em hỏi thử Viện Khoa học Thủy lợi xem.", "viện khoa học thủy lợi"),
        ("Liên hệ Công ty Lạnh ở Cần Thơ nhé.", "công ty lạnh"),
    ],
)
def test_a_vietnamese_organisation_by_its_head_noun_after_a_contact_verb(text: str, name: str) -> None:
    refs = _refs(text)
    assert [(n or "").lower() for _h, n, _k in refs] == [name]
    assert refs[0][2] == "org"


def test_a_negated_vietnamese_organisation_is_not_a_referral() -> None:
    assert _refs("Đừng liên hệ Công ty Sao Mai nhé.") == []


def test_a_journal_title_ending_in_a_capitalised_word_is_not_an_organisation() -> None:
    text = "The Rahman et al. 2020 review in Building and Environment is the one you want."
    assert _refs(text) == []


def test_the_team_a_recommended_person_works_with_is_her_affiliation_not_a_second_referral() -> None:
    text = "Talk to Maria Lindholm and her team at Frostline Diagnostics, she knows the process."
    assert _names(text) == ["maria lindholm"]


def test_the_folks_at_an_organisation_are_still_a_referral() -> None:
    assert _names("Ask the folks at Frostline Diagnostics, they are helpful.") == ["frostline diagnostics"]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Maria Lopez did the same survey in Lagos last year. Email her.", "maria lopez"),
        (
            "En el laboratorio de la UNAM, Pablo Quiroga midió esto en Ciudad de México. Escríbele.",
            "pablo quiroga",
        ),
        ("Na Embrapa, Carla Nogueira testou sensores parecidos. Fala com ela.", "carla nogueira"),
        ("Jonas Keller hat das im Hafen gemessen. Schreib ihm einfach.", "jonas keller"),
        ("Zofia Wrona mierzyła to przez trzy lata. Napisz do niej.", "zofia wrona"),
        ("Anneke Visser heeft die metingen gedaan. Mail haar gerust.", "anneke visser"),
    ],
)
def test_a_subject_named_before_a_contact_verb_with_a_pronoun_is_recommended(text: str, name: str) -> None:
    assert _names(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "Thanks Maria Lopez! I will ask her.",
        "Rahman et al. showed this years ago. Ask her though.",
        "Zofia pracuje w szpitalu Wszystkich Świętych. Napisz do niej.",
    ],
)
def test_a_pronoun_contact_does_not_make_a_thanked_cited_or_place_name_a_referral(text: str) -> None:
    assert all("wszystkich" not in n and "maria" not in n and "rahman" not in n for n in _names(text))


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Fala com o pessoal da Cooperativa de Agricultores do Vale, em Minas.",
            "cooperativa de agricultores do vale",
        ),
        ("De mensen van het KNMI hebben die data. Neem contact met ze op.", "knmi"),
        ("Die Leute vom Deutschen Wetterdienst sind hilfsbereit, schreib ihnen.", "deutschen wetterdienst"),
        (
            "hablá con la Subsecretaría de Ambiente de Rosario, son muy abiertos.",
            "subsecretaría de ambiente de rosario",
        ),
        ("Hubungi Yayasan Laut Biru, mereka punya datanya.", "yayasan laut biru"),
        (
            "İzmir'de Mavi Deniz Derneği geçen yıl ölçüm yaptı. Onlara yazın, çok yardımseverler.",
            "mavi deniz derneği",
        ),
        ("تواصلي مع جمعية «أصدقاء البحر»، نفذوا حملة مشابهة.", "أصدقاء البحر"),
        ("기상청에서 폭염 자료를 관리하고 있어요. 담당 부서에 메일 보내시면 받을 수 있어요.", "기상청"),
    ],
)
def test_an_organisation_by_its_kind_or_its_people_in_each_language_is_an_org_referral(
    text: str, name: str
) -> None:
    refs = _refs(text)
    assert [(n or "").lower() for _h, n, _k in refs] == [name]
    assert refs[0][2] == "org"


@pytest.mark.parametrize(
    "text",
    [
        "Cooperativa de Pescadores de Maputo publicou um relatório em 2020.",
        "Mavi Deniz Derneği geçen yıl bir rapor yayımladı.",
        "신청이 많아요. 담당자에게 연락하세요.",
    ],
)
def test_an_organisation_named_as_a_fact_without_a_contact_cue_is_not_a_referral(text: str) -> None:
    assert _refs(text) == []


def test_a_person_from_an_indonesian_cooperative_keeps_it_as_her_affiliation() -> None:
    text = "Coba kontak Bu Sri Wahyuni dari Koperasi Nelayan Tanjung, mereka sudah uji coba."
    assert _names(text) == ["sri wahyuni"]


def test_an_organisation_followed_by_its_handle_is_one_referral() -> None:
    refs = _refs("Yayasan Laut Biru Indonesia (@lautbiru_id) is the one to write to.")
    assert [r[0] for r in refs] == ["lautbiru_id"]


def test_the_head_named_after_a_recommended_organisation_is_a_person_referral() -> None:
    text = "Fala com o pessoal da Cooperativa de Pescadores de Angoche. O presidente, Carlos Mabunda, procurava isto."
    assert sorted(_names(text)) == ["carlos mabunda", "cooperativa de pescadores de angoche"]


def test_a_head_of_state_in_an_aside_is_not_a_referral() -> None:
    assert _refs("The president, Joe Biden, said so in the speech.") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Odezwij się do dr Marty Wiśniewskiej z Politechniki, ona to mierzyła.", "marta wiśniewska"),
        ("Napisz do Jana Kowalskiego z PAN, on wie.", "jan kowalski"),
        ("Zapytaj panią Annę Kowalską z urzędu miasta.", "anna kowalska"),
        ("Skontaktuj się z Adamem Nowakiem, on wie.", "adam nowak"),
        ("Napisz do Agnieszki Zając, ona wie.", "agnieszka zając"),
    ],
)
def test_a_polish_name_in_the_case_its_contact_verb_governs_is_filed_in_the_nominative(
    text: str, name: str
) -> None:
    assert _names(text) == [name]


def test_a_kinship_honorific_is_not_part_of_the_name() -> None:
    assert _names("Ask for Auntie Grace Owusu, she chairs the traders' group.") == ["grace owusu"]


def test_a_given_name_owning_a_lab_is_a_person_when_the_reply_says_ask_him() -> None:
    assert _names("Pieter's lab at Leiden has measured this for years. Ask him for the data.") == ["pieter"]


def test_a_given_names_lab_cited_for_its_results_is_not_a_referral() -> None:
    assert _refs("Results from Pieter's lab at Leiden show this clearly.") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (
            "Mail de afdeling Klimaat van de gemeente Utrecht, die zijn altijd in voor pilots.",
            "gemeente utrecht",
        ),
        ("Escribe a la municipalidad de Rosario, tienen un área de clima.", "municipalidad de rosario"),
        (
            "Und das Umweltbundesamt hat eine eigene Arbeitsgruppe dazu, da lohnt sich eine Mail.",
            "umweltbundesamt",
        ),
    ],
)
def test_a_city_administration_or_german_agency_compound_is_an_org_when_the_reply_says_to_write(
    text: str, name: str
) -> None:
    refs = _refs(text)
    assert [(n or "").lower() for _h, n, _k in refs] == [name]
    assert refs[0][2] == "org"


@pytest.mark.parametrize(
    "text",
    [
        "Ich arbeite beim Umweltbundesamt und wir haben das gemessen.",
        "Das Finanzamt hat mir letzte Woche geschrieben.",
        "Ik werk bij de gemeente Utrecht en mail je graag.",
    ],
)
def test_an_agency_that_is_the_repliers_employer_or_a_fact_is_not_a_referral(text: str) -> None:
    assert _refs(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Try the Fundação Oswaldo Cruz dataset, it is open.",
        "Eu trabalho na Fundação Oswaldo Cruz, fale comigo.",
        "Segundo a Associação Brasileira de Saúde, isso é comum. Fale com ela se quiser.",
    ],
)
def test_an_organisation_by_kind_as_a_source_or_the_repliers_workplace_is_not_a_referral(text: str) -> None:
    assert _refs(text) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Talk to the Lakeside Fishers Co-op, they have been asking for this.", "lakeside fishers co-op"),
        ("Email the Coastal Water Authority, they run the sensors.", "coastal water authority"),
        ("Try Frostline Ltd, they make these loggers.", "frostline ltd"),
        ("Write to the Tema Fish Processors Union.", "tema fish processors union"),
    ],
)
def test_a_company_co_op_or_authority_right_after_a_contact_verb_is_an_org(text: str, name: str) -> None:
    refs = _refs(text)
    assert [(n or "").lower() for _h, n, _k in refs] == [name]
    assert refs[0][2] == "org"


def test_a_union_named_as_a_funder_with_a_contact_verb_elsewhere_is_not_a_referral() -> None:
    assert _refs("The European Union funds this, ask your PI.") == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Someone worth talking to: Priya Raman at the water board.", "priya raman"),
        ("If you want field data, Tunde Bakare is your man.", "tunde bakare"),
    ],
)
def test_a_name_after_worth_talking_to_or_before_is_your_man_is_recommended(text: str, name: str) -> None:
    assert _names(text) == [name]


def test_a_korean_name_with_the_plain_researcher_title_is_the_person_not_an_institute() -> None:
    assert _names("박지은 연구원에게 물어보세요. 그분이 센서를 만들었어요.") == ["박지은"]


def test_a_korean_institute_as_subject_then_mail_the_person_in_charge_is_an_org() -> None:
    refs = _refs("한국환경연구원에서 폭염 자료를 관리해요. 담당자에게 메일 보내세요.")
    assert [(n, k) for _h, n, k in refs] == [("한국환경연구원", "org")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Ask Dr. Abernathy at the harbour lab, she calibrated the same buoys.", "dr. abernathy"),
        ("Sprich mit Prof. Hartmann von der TU, der kennt die Messreihen.", "prof. hartmann"),
        ("Contactez Mme Lefort à la mairie, elle gère les capteurs.", "mme lefort"),
        ("Coba hubungi Pak Suryo, dia yang pasang alatnya di pelabuhan.", "pak suryo"),
        ("Ask Dr. Jane Abernathy at the harbour lab, she calibrated the buoys.", "jane abernathy"),
    ],
)
def test_a_title_and_one_surname_is_filed_with_the_title(text: str, name: str) -> None:
    assert _names(text) == [name]


@pytest.mark.parametrize(
    "text",
    [
        "As Dr. Abernathy said above, the buoys drift in winter.",
        "Dr. Abernathy et al. (2019) measured the same drift.",
        "Don't ask Prof. Hartmann, he never answers.",
    ],
)
def test_a_titled_surname_cited_or_negated_is_not_a_referral(text: str) -> None:
    assert _refs(text) == []


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("Talk to Harbour Watch, they ran the same survey last spring.", "harbour watch"),
        ("Vraag het even aan Zeewacht, die hebben alle meetreeksen.", "zeewacht"),
        ("Prata med Kustlaget i Luleå, de har gjort exakt det här.", "kustlaget"),
        ("Chiedi a Marebirra, hanno già risolto lo stesso problema.", "marebirra"),
        ("Contactez Terres Vives, ils ont un service juridique.", "terres vives"),
    ],
)
def test_capitalised_words_after_a_contact_verb_then_they_are_an_organisation(text: str, org: str) -> None:
    refs = _refs(text)
    assert [((n or "").lower(), k) for _h, n, k in refs] == [(org, "org")]


@pytest.mark.parametrize(
    "text",
    [
        "Don't ask Harbour Watch, they never answer.",
        "We talked to Harbour Watch, they said no.",
        "Harbour Watch published the survey; they did a good job.",
    ],
)
def test_an_organisation_then_they_without_a_contact_verb_or_negated_is_not_a_referral(text: str) -> None:
    assert _refs(text) == []


def test_a_person_after_a_contact_verb_then_she_stays_a_person() -> None:
    assert _refs("Talk to Maren Holt, she ran the same survey.") == [(None, "Maren Holt", "person")]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Anh nên hỏi chị Lê Thị Thư, chị ấy làm mảng này lâu rồi.", "lê thị thư"),
        ("Contacte Léa Morin à la métropole, elle a les relevés.", "léa morin"),
    ],
)
def test_vietnamese_letters_and_a_french_verb_opening_the_sentence_do_not_cut_the_name(
    text: str, name: str
) -> None:
    assert _names(text) == [name]
