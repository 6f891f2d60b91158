"""Lead priority of answers, round 6: expert bios in many languages, first-hand experience said outright, the
replier naming their own trade, and a measured figure in a substantive answer from a profile. Bios and sentences
written for these tests; negatives keep thin, junior or date-only answers at medium."""

from __future__ import annotations

import pytest

from bot.understand.intent import EXPERIENCE
from bot.understand.normalise import count_words
from bot.understand.pipeline import understand
from bot.understand.priority import _CREDENTIAL, _JUNIOR_BIO, _SENIOR_BIO, _measured, lead_priority
from bot.understand.spam import is_bot_handle

# a plain answer of 22 words with no figure and no first-hand cue: its priority is decided by the bio alone
PLAIN = (
    "The usual problem is the paperwork rather than the money, so keep the forms short and explain "
    "clearly who reads them afterwards."
)


def _answer(body: str, bio: str = "") -> str:
    return lead_priority("answer", body, count_words(body), bio, False, False)


EXPERT_BIOS = [
    "Forensic handwriting expert",
    "Biostatistician, vaccine trials",
    "Öffentlich bestellte Gutachterin für Bauschäden",
    "Landwirtin, 60 ha Ackerbau",
    "Perita judicial en grafología",
    "Ganadera, ovejas latxas",
    "Estatística, saúde pública",
    "Produtora de café, Minas",
    "Experte près la cour d'appel",
    "Éleveuse de chèvres, Drôme",
    "Consulente tecnico del tribunale",
    "Allevatore, Valtellina",
    "Gerechtelijk deskundige",
    "Melkveehouder, Friesland",
    "Biegły rewident",
    "Sadownik spod Grójca",
    "Lantbrukare i Skåne",
    "Adli bilirkişi",
    "Çiftçi, Konya ovası",
    "خبيرة تغذية",
    "مزارع زيتون",
    "कृषि विशेषज्ञ",
    "किसान, नासिक",
    "Pakar hidrologi",
    "Petani kopi, Toraja",
    "筆跡鑑定人",
    "酪農家・十勝",
    "수질 전문가",
    "사과 농가 운영",
    "Chuyên gia thủy văn",
    "Nông dân trồng lúa",
    "水文专家",
    "果农，烟台",
]


@pytest.mark.parametrize("bio", EXPERT_BIOS)
def test_expert_bio_in_each_language_makes_a_plain_answer_high(bio: str) -> None:
    assert _SENIOR_BIO.search(bio)
    assert _answer(PLAIN, bio) == "high"


NOT_EXPERT_BIOS = [
    "Dad of two, coffee addict",
    "Primary school teacher",
    "Abogado laboralista",
    "Hobby-Imker aus Kassel",
    "Humleodlare på hobbynivå",
    "Estudiante de agronomía",
    "Doktorand, Hydrologie",
    "Nghiên cứu sinh thủy văn",
    "농업경제 대학원생",
    "طالب هندسة زراعية",
    "Mahasiswa pertanian",
]


@pytest.mark.parametrize("bio", NOT_EXPERT_BIOS)
def test_other_bios_leave_a_plain_answer_medium(bio: str) -> None:
    assert _answer(PLAIN, bio) == "medium"


@pytest.mark.parametrize(
    "bio",
    ["Hobby grower, balcony tomatoes", "Estudiante, futura agricultora", "Student farmer, first season"],
)
def test_a_junior_bio_outweighs_the_trade_it_names(bio: str) -> None:
    assert _JUNIOR_BIO.search(bio)
    assert _answer(PLAIN, bio) == "medium"


EXPERIENCE_SENTENCES = [
    "I've worked with three councils on exactly this and the sticking point was always the insurer.",
    "Aus meiner Erfahrung bleibt die Hälfte der Freiwilligen, wenn man sie persönlich anruft.",
    "En mi experiencia los vecinos responden mejor a una carta que a un correo.",
    "Pela minha experiência o gargalo é sempre a logística do último quilómetro.",
    "Uit ervaring weet ik dat gemeenten pas bewegen als er een wethouder bij zit.",
    "Dari pengalaman saya, warga lebih percaya kalau ketua RT ikut datang.",
    "मेरे अनुभव में किसान पहले पड़ोसी के खेत का नतीजा देखना चाहते हैं।",
    "Mere anubhav mein log pehle padosi ka result dekhna chahte hain.",
    "من تجربتي، الناس يثقون أكثر عندما يأتي شخص من القرية نفسها.",
    "Dalla mia esperienza i comuni piccoli rispondono più in fretta di quelli grandi.",
    "経験上、説明会は平日の夜より週末の午前のほうが人が集まります。",
    "根据我的经验，村民更相信村干部带来的消息。",
]


@pytest.mark.parametrize("text", EXPERIENCE_SENTENCES)
def test_first_hand_experience_said_outright(text: str) -> None:
    assert EXPERIENCE.search(text)


NOT_EXPERIENCE = [
    "Experience matters less than curiosity here, in my view.",
    "Die Erfahrung zeigt, dass solche Projekte oft scheitern.",
    "La experiencia de otros países es difícil de trasladar.",
    "Pengalaman itu penting, tapi data lebih penting.",
    "经验不是最重要的，关键是数据质量。",
]


@pytest.mark.parametrize("text", NOT_EXPERIENCE)
def test_experience_as_a_topic_is_not_first_hand(text: str) -> None:
    assert not EXPERIENCE.search(text)


CREDENTIALS = [
    "As a dairy farmer, I can tell you the milk robot is where any feed additive has to go.",
    "Speaking as a hydrologist: the gauge data is fine, it is the rating curve that drifts.",
    "Beekeeper here. The hives near the oilseed fields always come back weaker in June.",
    "Als Landwirt: die Förderung ist nicht das Problem, die Dokumentation ist es.",
    "Als fruitteler: de subsidie is prima, de administratie kost ons een week per jaar.",
    "Jako sadownik: najważniejsze jest to, kiedy przyjdą ludzie do zbioru, a nie ile kosztują.",
    "Como agricultora, lo que más me cuesta es encontrar gente para la cosecha.",
    "En tant que statisticienne je regarderais d'abord la tendance générale.",
    "Viticultrice ici, et chez moi c'est la main-d'œuvre qui manque, pas le matériel.",
    "Sebagai petani, yang paling susah itu cari tenaga kerja waktu panen.",
    "Bir çiftçi olarak söyleyeyim, sorun makine değil işçi bulmak.",
]


@pytest.mark.parametrize("text", CREDENTIALS)
def test_the_replier_names_their_own_trade(text: str) -> None:
    assert _CREDENTIAL.search(text)
    body = text + " It took a couple of seasons to see, but the pattern is clear enough now for us."
    assert _answer(body) == "high"


NOT_CREDENTIALS = [
    "As a result, the project stalled for a year before anyone noticed.",
    "As a rule of thumb, budget twice what the vendor quotes.",
    "Such tools work as a starter, never as the whole answer.",
    "Als ich dort angerufen habe, war niemand zuständig.",
    "Als we dat eerder hadden geweten, was het makkelijker geweest.",
    "Jako że nikt tego nie sprawdzał, dane są słabe.",
    "Como se ha dicho antes, el problema es la financiación.",
    "Sebagai contoh, desa di Bantul sudah mencoba skema ini.",
    "Same answer here, nothing new from me.",
    "Long-time lurker here, first post.",
]


@pytest.mark.parametrize("text", NOT_CREDENTIALS)
def test_other_openings_are_not_a_trade(text: str) -> None:
    assert not _CREDENTIAL.search(text)


MEASURED = [
    "Sign-ups roughly doubled, from about 40 to 85 a term.",
    "Readings ran 2-3x too high above 80% humidity.",
    "We kept the inlet below 1 V before shredding.",
    "実測で室内は屋外の0.5倍程度でした。",
]
NOT_MEASURED = [
    "After the 2021 floods the town finally bought the land.",
    "Do a 15-minute call with each candidate first.",
    "2008年の博覧会のあとで公園になりました。",
]


@pytest.mark.parametrize("text", MEASURED)
def test_a_measured_figure(text: str) -> None:
    assert _measured(text)


@pytest.mark.parametrize("text", NOT_MEASURED)
def test_a_date_or_compound_adjective_is_not_a_measured_figure(text: str) -> None:
    assert not _measured(text)


LONG_WITH_FIGURE = (
    "Keep the pilot small: the first four villages took about 9 months to sign, mostly because the council "
    "wanted its own lawyer to read the contract, and the rest followed in 3 months once they saw it work."
)
LONG_WITH_DATE = (
    "Keep the pilot small: the first villages took ages to sign, mostly because the council wanted its own "
    "lawyer to read the contract in 2019, and the rest followed much faster once they had seen it working."
)


def test_a_substantive_answer_with_a_figure_from_a_profile_is_high() -> None:
    assert _answer(LONG_WITH_FIGURE, "Rural broadband, Wales") == "high"


@pytest.mark.parametrize(
    ("body", "bio"),
    [
        (LONG_WITH_DATE, "Rural broadband, Wales"),  # a date is not a figure
        (LONG_WITH_FIGURE, ""),  # no profile: the figure alone marks no expert
        (LONG_WITH_FIGURE, "Undergrad, econ"),  # a junior profile
        ("It took 9 months for the council to sign the contract.", "Rural broadband, Wales"),  # thin
    ],
)
def test_figure_rule_negatives(body: str, bio: str) -> None:
    assert _answer(body, bio) == "medium"


@pytest.mark.parametrize(
    ("handle", "is_bot"),
    [
        ("remindmebot", True),
        ("news_bot", True),
        ("bot.alerts", True),
        ("grok", True),
        ("overijssel-robot.bsky.social", False),  # a dairy farm with a milking robot
        ("botanist_jane", False),
        ("robotics_lab", False),
    ],
)
def test_a_handle_is_a_bot_by_the_word_bot_not_by_robot_or_botany(handle: str, is_bot: bool) -> None:
    assert is_bot_handle(handle) is is_bot


def test_a_farmer_whose_handle_and_bio_say_robot_milking_is_a_high_priority_offer() -> None:
    got = understand(
        "We're in! 140 cows, robot milking, near Zwolle. Message me the details.",
        platform="bluesky",
        author_handle="zwolle-robot.bsky.social",
        author_bio="180 Jerseys, robot milking",
        intent_model=False,
        span_model=False,
    )
    assert (got.intent, got.lead_priority) == ("offer", "high")
