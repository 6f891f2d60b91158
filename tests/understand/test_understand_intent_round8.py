"""Round 8: intent on new owners. Abuse, offers, resources, critiques and spam that fell to "answer" or "social",
as each language says them: name-calls after "you're" and as a closing vocative, "get lost" and "shame on you" in
several languages; "send me the deck", "we'd be interested in piloting", polite "shall I ... for you?" (Korean),
"ready for an interview"; named leaflets, tutorials, chapters (Dutch), a country's second-level domain, a bracketed
citation, a Latin-script name in a non-Latin sentence, a polite "read ..." beside a work; "the question assumes",
"X is the wrong size", "nice on paper, but"; instant loans, hourly rates, a dotted-capital Turkish discount and a
shouted word in a coloured banner. Sentences written for these tests; the negatives are ordinary answers sharing
words with the new cues and must stay answers."""

from __future__ import annotations

import pytest

from bot.understand.intent import is_resource
from bot.understand.pipeline import understand


def _intent(text: str) -> str:
    return understand(
        text, platform="x", owner_handles=("owner_x",), intent_model=False, span_model=False
    ).intent


ABUSE = [
    ("en", "Nobody asked for this survey, you're a creep with a clipboard and a budget."),
    ("en", "Honestly this whole project is a clown show from start to finish."),
    ("en", "Another consultant who's never set foot on a farm, lecturing growers about soil."),
    ("en", "You city planners are all useless parasites living off our taxes."),
    ("en", "People like you disgust me. You people disgust me, grabbing data from the grieving."),
    ("pt", "Mais um golpista pedindo dinheiro na internet. Some daqui."),
    ("tr", "Sen tam bir dolandırıcısın, bu uygulamaya kimse güvenmez."),
    ("ko", "또 이상한 앱 홍보하네 사기꾼아"),
    ("es", "Otra encuesta absurda de gente de ciudad que no sabe nada del campo, ineptos."),
    ("de", "Deine Umfrage liest sowieso keiner, du Versager."),
    ("pl", "Kolejny ekspert od wszystkiego. Spadaj."),
    ("sv", "Vilken parasit du är som tjänar pengar på andras sorg. Skäms!"),
    ("nl", "Weer zo'n subsidieslurper met een enquête. Zoek een echte baan."),
    ("ar", "يا شحاتين الأبحاث، اتركوا الناس في حالهم"),
]

OFFERS = [
    ("en", "I run a small seed fund for logistics tools. Send me the deck and let's see if it fits."),
    ("en", "Our cooperative has twelve boats and we'd be very interested in piloting this next season."),
    ("en", "Happy to talk through what worked for our clinic, reach us at the address on our website."),
    ("ko", "제가 이 분야 데이터를 좀 다뤄봤는데, 필요하시면 정리해 드릴까요?"),
    ("ar", "أنا أعمل في هذا المجال منذ سنوات، أرسلي لي الاستبيان ونتكلم."),
    ("nl", "Ik heb de ruwe meetgegevens nog liggen, die kan ik wel voor je opzoeken."),
    ("nl", "Ik coördineerde vorig jaar de voedselbank in onze wijk en wil best meedoen aan een gesprek."),
    ("de", "Ich habe so ein Projekt schon zweimal begleitet, gerne per DM, dann erzähle ich mehr."),
    ("hi", "Main pichhle saal yahi survey kar chuka hoon, apna questionnaire share kar sakta hoon."),
    ("hi", "Hamare gaon ki samiti is pilot ke liye ready hain, bas date bata dijiye."),
    ("id", "Aku pernah jadi relawan posko banjir di Bekasi, boleh diwawancarai kapan saja."),
    ("vi", "Mình từng làm tình nguyện ở vùng lũ, mình sẵn sàng chia sẻ kinh nghiệm nếu cần."),
    ("pt", "Eu coordenei uma horta comunitária por três anos. Topo a conversa quando quiser."),
    ("sv", "Vi har en färdig enkät på samiska och svenska, jag kan skicka den i morgon."),
    ("tr", "Bu konuda saha deneyimim var, memnuniyetle anlatırım."),
    ("zh", "我们做过类似的调研,可以把问卷发给我看看,我们约个电话详细聊。"),
]

RESOURCES = [
    ("de", "Die Unfallkasse hat ein Merkblatt zu Leitern im Gartenbau, kurz und brauchbar."),
    ("de", "Lesenswert: die Berichte von Ulrike Brandt zur Nachbarschaftshilfe im Hochwasser."),
    ("id", "Coba pakai QGIS, tutorialnya banyak dan gratis di YouTube."),
    ("nl", "Kijk eens op Zorgkaart, daar staan beoordelingen per regio."),
    ("nl", "Het boek Thuis sterven van Marieke Jansen heeft een hoofdstuk over mantelzorg."),
    ("tr", "Zeynep Kaya'nın göç üzerine yazıları tam bu konuyla ilgili."),
    ("pt", "A coletânea 'Cidades e Enchentes' tem três volumes muito bons sobre isso."),
    ("ar", "في الأردن عندهم دليل ممتاز على موقعهم heritage.gov.jo فيه كل التفاصيل"),
    (
        "es",
        "El clásico es 'La ciudad vulnerable' (Ortega, FLACSO, 1998), está en la biblioteca de la facultad.",
    ),
    ("ar", "أنصحك بكتاب Hartley عن الأحياء الفقيرة، مفيد جداً."),
    ("hi", "गाँवों की स्वास्थ्य व्यवस्था समझने के लिए उनकी सालाना रिपोर्ट पढ़िए, बहुत साफ़ लिखी है।"),
    ("vi", "Về chủ đề này bạn nên tìm đọc cuốn sách của nhóm nghiên cứu ở Huế, viết rất dễ hiểu."),
    ("ja", "入門ならQGIS Japanの講習資料がとても丁寧です。"),
    ("en", "Start with the field notes (Okafor, Lagos Water Board, 2019), they cover exactly this."),
]

CRITIQUES = [
    ("ar", "السؤال يفترض أن الأهالي يثقون بالجمعيات، وهذا غير صحيح في أغلب القرى."),
    ("sv", "Frågan förutsätter att alla kommuner har samma resurser, det har de inte."),
    ("ko", "모든 마을이 같은 문제를 겪는다는 전제가 좀 이상해요."),
    ("de", "Die Reichweite ist die falsche Kennzahl für Lastenräder im Stadtverkehr."),
    ("de", "Beratungsstunden skalieren nicht, das weißt du selbst am besten."),
    ("nl", "Een app voor elke wijk klinkt leuk op papier, maar niemand gaat hem bijhouden."),
    ("nl", "Een enquête per sms is leuk, maar ouderen lezen die berichten niet."),
    ("pl", "Nowa aplikacja nie jest lekarstwem na brak wolontariuszy w małych gminach."),
    ("tr", "Kusura bakmayın ama anket yerine önce köylerle yüz yüze konuşmak gerekiyor."),
    ("vi", "Nói thẳng là khảo sát online sẽ bỏ sót hầu hết người già ở nông thôn."),
    ("vi", "Mở rộng ra cả tỉnh ngay năm đầu thì hơi sớm, nên làm thử ở vài xã trước."),
    ("it", "Diffiderei di una classifica fatta dal produttore stesso dei sensori."),
    ("hi", "हर गाँव में एक ही मॉडल लागू करने की बात बेमानी है, ज़रूरतें अलग हैं।"),
    ("en", "Download counts are the wrong metric for a literacy app, completion matters far more."),
    ("en", "A foundation is not a cure for a tiny contributor base, it only adds paperwork."),
    ("en", "'Community-owned' is doing a lot of work in that pitch. Who actually holds the keys?"),
]

SPAM = [
    "Need cash fast?? Instant loans approved in 10 minutes, no collateral!! WhatsApp +44 7000 000000",
    "Outsource your bookkeeping from $12/hr!! Certified team → ledgerfarm.example.net",
    "Tradução profissional baratíssima!!! chama no whatsapp da bio",
    "Akıllı sayaçlarda %50 İNDİRİM!! Hemen sipariş ver 👉 sayac.example.shop",
    "\x1b[1;31m🔥 MEGA sale today\x1b[0m limited offer!! → deals.example.com",
    "Publique seu artigo com revisão por pares em 48h, taxa de apenas US$ 99!",
    "Publiceer uw onderzoek binnen 5 dagen in ons tijdschrift, meld u nu aan.",
    "팔로워 5천명 3만원, 빠르게 늘려 드려요",
]

SOCIAL = [
    "Hats off to the volunteers who kept this map going all winter.",
    "This is such important work, thank you for doing it.",
]

# ordinary answers sharing words with the new cues: they must stay answers
ANSWERS = [
    "We tried it in two districts and the second one went much better after we hired a local coordinator.",
    "The overview we give new staff covers the rota, the phone tree and who to call when the pump fails.",
    "Our loans come from the regional cooperative bank, and repayment follows the harvest calendar, which helps.",
    "In our survey the response rate was about 40 percent, and most replies came in the first week after the visit.",
    "Die Texte in unserer Gemeindezeitung schreibt ein pensionierter Lehrer, der jede Familie im Dorf kennt.",
    "Wij doen de planning per week en vragen vooraf wie er kan, dat werkt beter dan een vast rooster.",
    "Mình thấy tài liệu nên đọc thì khác nhau tùy mục tiêu, nhưng quan trọng nhất là đo lặp lại đều đặn.",
    "We measure the flow twice a day and the difference between the inlet and outlet = what the leak costs us.",
    "Bei uns hat es geholfen, die Helfer fest einzuteilen und jeden Abend kurz zu besprechen, was fehlt.",
    "Mostly we schedule the visits by hand and keep a shared calendar that every nurse can edit from the car.",
]


@pytest.mark.parametrize(("lang", "text"), ABUSE)
def test_abuse_round8(lang: str, text: str) -> None:
    assert _intent(text) == "abuse", (lang, text)


@pytest.mark.parametrize(("lang", "text"), OFFERS)
def test_offers_round8(lang: str, text: str) -> None:
    assert _intent(text) == "offer", (lang, text)


@pytest.mark.parametrize(("lang", "text"), RESOURCES)
def test_resources_round8(lang: str, text: str) -> None:
    assert is_resource(text), (lang, text)
    assert _intent(text) == "resource", (lang, text)


@pytest.mark.parametrize(("lang", "text"), CRITIQUES)
def test_critiques_round8(lang: str, text: str) -> None:
    assert _intent(text) == "critique", (lang, text)


@pytest.mark.parametrize("text", SPAM)
def test_spam_round8(text: str) -> None:
    assert _intent(text) == "spam", text


@pytest.mark.parametrize("text", SOCIAL)
def test_social_round8(text: str) -> None:
    assert _intent(text) == "social", text


@pytest.mark.parametrize("text", ANSWERS)
def test_answers_stay_answers_round8(text: str) -> None:
    assert _intent(text) == "answer", text
