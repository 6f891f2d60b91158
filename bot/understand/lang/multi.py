"""Cues written once for several languages: emoji, and alternatives whose one pattern crosses languages.

Each alternative here is a cross product ("not sure ... right question" in any mix of seven languages);
splitting it into one alternative per language would drop the mixed-language combinations, so it stays whole
until the accuracy round decides per language. New cues belong in their language's module, not here.
"""

from bot.understand.lang.base import Cues

CUES = Cues(
    code="multi",
    stop_words=frozenset(),
    question_words=(),
    injection=(
        r"\b(?:lead_priority|offers_contact)\s*[=:]|\bintent\s*[=:]\s*[\"']?(?:referral|offer|spam|answer)\b",
    ),
    spam=(
        r"\b\d+k? (?:real |réels |reales |echte |veri |reais )?(?:followers|abonnés|seguidores|follower|likes|views|vues)\b.{0,20}(?:\b(?:for|pour|por|für|per|voor)\s?[$€£]?\s?\d|[$€£]\s?\d|\d\s?[$€£])",
        r"\b(?:résultats|resultados|risultati|resultaten|ergebnisse|results) (?:garantis|garantizados|garantiti|gegarandeerd|garantiert|garantidos|guaranteed)\b",
    ),
    abuse=(
        r"\b(?:domanda|pergunta|pregunta|question|frage|vraag) (?:idiota|stupida|estúpida|débile|stupide|imbecille|absurda|ridicola)\b",
        r"\b(?:dumme|blöde|domme|stomme|stupid|dumb|idiotic|débile) (?:frage|vraag|question)\b",
        r"🤡",
    ),
    offer=(),
    critique=(
        r"\b(?:not sure|pas sûre?|pas certaine?|no estoy segur[oa]|non sono sicur[oa]|nicht sicher|niet zeker|não tenho certeza|não sei se)\b.{0,30}\b(?:right|bonne|correcta|adecuada|giusta|richtige|juiste|certa|correta) (?:question|pregunta|domanda|frage|vraag|pergunta)\b",
        r"\bpremis\w*.{0,30}\b(?:falsa|errónea|fausse|erronée|falsch|fragwürdig|onjuist|verkeerd|sbagliata|errata|errada|wrong|flawed|shaky)\b",
        r"\b(?:cuestiono|contesto|questiono|bezweifle|betwijfel|conteste|questiono) (?:la |a |die |de )?pr[eéä]mis",
    ),
    resource_nouns=(),
    senior_bio=(),
    experience=(),
    them_contact=(),
    contact_before_handle=(),
    contact_before_name=(
        r"\bpersona (?:giusta|adatta|indicada|adecuada|certa) (?:è|es|é)",
        r"\b(?:ti |te |je te |je vous )?(?:consiglio|raccomando|recomiendo|conseille|recommande|empfehle|recomendo|aconselho)",
    ),
    contact_single=(),
    recommends=(),
    contact_org=(),
)
