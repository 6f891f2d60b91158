"""Portuguese cue phrases: regex alternatives, each searched in lower-cased text (pure data)."""

from bot.understand.lang.base import Cues

CUES = Cues(
    code="pt",
    stop_words=frozenset(
        "os é não eu que em um uma para com mas muito são do da na isso você também está".split()
    ),
    question_words=(
        "quantos",
        "quantas",
        "onde",
        "qual",
        "quais",
        "quem",
        "como",
        "quando",
    ),
    injection=(),
    spam=(),
    abuse=(
        r"\b(?:vocês são|você é|és) (?:uns |umas |um |uma )?(?:parasitas?|palhaços?|idiotas?|otários?|incompetentes?|charlatães|charlatão|vergonha)\b",
        r"\b(?:babaca|otário|vai se foder|cala a boca|imbecil)\b",
    ),
    offer=(
        r"\bposso (?:conversar|mostrar|ajudar|compartilhar|partilhar|enviar|mandar|apresentar)\b",
        r"\bpodemos (?:conversar|falar|marcar)\b",
        r"\bestou disponível\b",
        r"\bme chama\b",
        r"\bmanda (?:uma )?mensagem\b",
        r"\b(?:teria|com) todo o gosto\b",
        r"\b(?:te|lhe) (?:mando|envio|apresento)\b",
        r"\btenho interesse\b",
        r"\bconte comigo\b",
        r"\bposso (?:\w+ ){0,3}(?:fazer|mandar|enviar|ajudar|apresentar|mostrar|partilhar|compartilhar)",
        r"\b(?:me|mim) mand(?:ar|e|a) (?:uma )?mensagem\b",
        r"\bfico feliz em\b",
        r"\b(?:estou|fico) (?:à|a) disposição\b",
        r"\bse (?:quiser|quiserem|preferir|você quiser),",
    ),
    critique=(
        r"\bvejo (?:de outra forma|diferente)\b",
        r"\bo problema não é\b",
        r"\bo verdadeiro problema\b",
        r"\bo problema real\b",
        r"\bnão estou (?:totalmente )?convencid[oa]\b",
        r"\bnão (?:acho|creio) que\b",
        r"\bnão concordo\b",
        r"\bdiscordo\b",
        r"\bcom todo o respeito\b",
        r"\bpergunta errada\b",
        r"\b(?:está|está totalmente) errad[ao]\b",
        r"^\s*isso não é\b",
    ),
    resource_nouns=(),
    senior_bio=(),
    experience=(
        r"\bnós fizemos\b",
        r"\bfizemos\b",
    ),
    them_contact=(
        r"\bescreva-lhes\b",
        r"\bcontate-os\b",
    ),
    contact_before_handle=(),
    contact_before_name=(
        r"\bfal(?:e|a|ar) com",
        r"\bpergunt[ea] (?:a|ao|à)",
        r"\bescrev[ae] (?:para|a|ao|à)",
        r"\bcontat[ea] (?:a|o)?",
        r"\b(?:meu|minha) (?:\w+ )?(?:colega|orientador|orientadora|amig[oa])",
    ),
    contact_single=(),
    recommends=(r"\b(?:contat|fal[ea]|pergunt|escrev|procur|orienta)",),
    contact_org=(
        r"\bfal[ea] com",
        r"\bescrev[ae] (?:para|a|ao)",
    ),
    not_contact=(
        r"\bn[ãa]o (?:pergunte|perguntes|contate|contactes|contacte|escreva|escrevas|fale|fales|procure)(?: (?:a|ao|à|com|para))?",
    ),
    contact_pronoun=(
        r"\b(?:escreva-lhe|pergunte-lhe|contate-[oa]|liga-lhe|manda-lhe)\b",
        r"\b(?:fala|fale|conversa|converse) com (?:ele|ela)\b",
        r"\b(?:escreve|escreva|manda|mande) (?:para|pra) (?:ele|ela)\b",
    ),
    staff_of=(
        r"\bo pessoal (?:da|do|de)",
        r"\b(?:a|as) (?:gente|pessoas) (?:da|do|de)",
    ),
)
