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
    injection=(
        r"\bignor[ae] (?:todas )?as instruções anteriores\b",
        r"\[\s*sistema\s*:",
    ),
    spam=(
        r"\bganhe dinheiro\b|\bganhe \d[\d.,]*\s?(?:reais|r\$) por dia\b",
        # round 7: follower selling, a paper published in hours, an APC of "only"
        r"\bseguidores (?:reais|brasileiros|ativos|orgânicos)\b|\b(?:ganhe|compre|comprar) seguidores\b",
        r"\bpubli(?:que|car|cação|cado) (?:o )?(?:seu |sua )?(?:artigo|manuscrito|paper) em (?:apenas |só )?\d+ ?(?:h|horas|dias)\b",
        r"\b(?:taxa (?:de )?)?apc de (?:apenas|só|somente)\b",
        # round 8: peer review in hours or days, 'fee of only'
        r"\brevisão por pares em \d+ ?(?:h|horas|dias)\b",
        r"\btaxa (?:de )?(?:apenas|só|somente) (?:us\$|r\$|\$|€)",
        # round 9: earn R$ per week from home
        r"\bganhe (?:r\$|\$|€)\s?\d[\d.,]*\s?(?:por|ao|/) ?(?:dia|semana|m[eê]s)\b",
        r"\btrabalhando de casa\b.{0,40}\bclique\b",
    ),
    abuse=(
        r"\b(?:vocês são|você é|és) (?:uns |umas |um |uma )?(?:parasitas?|palhaços?|idiotas?|otários?|incompetentes?|charlatães|charlatão|vergonha)\b",
        r"\b(?:babaca|otário|vai se foder|cala a boca|imbecil)\b",
        r"\bvolta (?:para|pra) a? ?escola\b",
        r"\bnão (?:fazes|faz|tens|tem) (?:a menor |nenhuma )?ideia\b",
        r"\b(?:és|é|você é) (?:um |uma )?(?:patétic[oa]|charlatão|vigarista|ladrão|uma vergonha)\b",
        r"\b(?:tenha|tem) vergonha\b",
        r"\b(?:você|vc) é uma? (?:piada|vergonha|fracasso)\b|\bninguém liga pra\b|\bencher o saco\b|\bperguntas idiotas\b",
        # round 7: "you are a swindler", a name-call closing the reply
        r"\b(?:você é|vocês são|és) (?:um |uma |uns |umas )?(?:golpistas?|vigaristas?|picaretas?|abutres?)\b",
        r",\s*(?:chat[oa]|idiota|imbecil|otário|palhaç[oa]|ridícul[oa]|babaca|trouxa|inútil|golpista|picareta)\s*[.!?]*\s*$",
        # round 8: 'get lost', 'another swindler'
        r"\bsome daqui\b|\bsuma daqui\b",
        r"\b(?:outr[oa]|mais um|mais uma) (?:picareta|golpista|charlatão|vigarista|aproveitador|aproveitadora)\b",
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
        r"\bposso (?:ver|ler|rever) (?:o teu|o seu|a tua|a sua)\b",
        r"\bapresento-te\b|\bapresento-o\b|\bte apresento\b",
        r"\bmanda (?:uma )?(?:dm|mensagem)\b",
        r"\bposso (?:te )?(?:enviar|mandar|ajudar|apresentar|partilhar|compartilhar)\b",
        r"\b(?:eu )?topo (?:testar|ajudar|participar|entrar)\b",
        r"\b(?:eu )?quero (?:testar|participar|ajudar)\b",
        r"\bconta comigo\b",
        r"\bposso (?:explicar|compartilhar|mostrar|apresentar)\b",
        # round 8: 'I'm up for the interview', 'we're up for testing'
        r"\btop(?:o|amos) (?:a |o )?(?:entrevista|conversa|testar|participar|ajudar|entrar)\b",
    ),
    critique=(
        r"\bvejo (?:de outra forma|diferente)\b",
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
        r"\bé um erro\b",
        r"\b(?:a )?pergunta (?:está )?mal (?:colocada|formulada)\b",
        r"\bnão é a pergunta certa\b",
        r"\bsou (?:bastante |muito )?cétic[oa]\b",
        r"\bo problema não é\b",
        r"^\s*o problema é que\b",
        r"\bnão resolve\b|\bo problema (?:real |verdadeiro )?é\b|\bmá ideia\b|\bnão é realista\b",
        # round 7: 'desculpa, mas' (sorry, but), 'contraditório'
        r"^\s*desculp[ae],? mas\b|\bcontradit[óo]ri[oa]\b",
        # round 9: 'I think it's a mistake'
        r"\bacho (?:um erro|errado|equivocado)\b",
    ),
    resource_nouns=(
        r"\b(?:catálogo|portal|editais?|base de dados)\b",
        # round 7: articles, books, theses, open access, 'dá uma olhada' (have a look)
        r"\b(?:artigos?|livros?|revista|tese|relatório|guia|manual|podcast|acervo|pacote)\b",
        r"\b(?:d[áê] uma olhada|acesso aberto|vale a pena ler)\b",
        # round 8: collections, volumes, required reading
        r"\b(?:coletânea|volumes|leitura obrigatória|leitura essencial)\b",
    ),
    senior_bio=(
        r"\b(?:epidemiologista|parteira|obstetra)\b",
        r"\b(?:perit[oa]|especialista|(?:bio)?estatístic[oa]|consultor(?:a)?|analista)\b",
        r"\b(?:agricultor(?:a)?|produtor(?:a)?|pecuarista|fruticultor(?:a)?)\b",
        # round 8: clinical, language and fishing trades
        r"\b(?:enfermeir[oa]|médic[oa]|farmacêutic[oa]|intérprete|tradutor(?:a)?|pescador(?:a)?)\b",
    ),
    experience=(
        r"\bnós fizemos\b",
        r"\bfizemos\b",
        r"\b(?:medimos|usamos|testamos|instalamos)\b",
        r"\b(?:usamos|fizemos|tivemos|conseguimos|medimos)\b|\bna nossa\b|\bno nosso\b",
        r"\b(?:pela|na) (?:minha|nossa) experiência\b|\btestei\b|\bfui perit[oa]\b|\bdou (?:aulas? de )?\w+ há\b",
    ),
    them_contact=(
        r"\bescreva-lhes\b",
        r"\bcontate-os\b",
        # round 7: "write to them" after an organisation named as the subject
        r"\bescrever-lhes\b|\b(?:mandar|enviar) (?:um )?e-?mail (?:para|pra) eles\b",
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
    social=(
        r"\bboa sorte\b",
        r"\bque (?:ótima|boa|bela) ideia\b",
        r"\badorei\b",
        r"\bmal posso esperar\b",
        r"\bparece (?:incrível|ótimo|divertido)\b",
        r"\bkkk",
        r"\bconcordo (?:totalmente|plenamente)\b",
        # round 7: praise for the question, thanks
        r"\b(?:pergunta de ouro|ótima pergunta|excelente pergunta|boa pergunta)\b|^\s*obrigad[oa]\b|\bobrigad[oa] (?:por|pela|pelo)\b",
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
    question_any=(
        # round 7: a yes/no question in Portuguese opens with or carries a second-person or existential verb
        r"\b(?:precisas?|precisam|tens|tem|têm|vais|vai|vão|há|podes|pode|podem|queres|quer|querem|conheces?|conhecem|sabes?|sabem|usas?|usam|já)\b",
    ),
)
