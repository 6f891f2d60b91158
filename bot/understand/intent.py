"""Stage 3: what a reply is for when it refers nobody: offer, resource, critique, question, answer, social (pure)."""

from __future__ import annotations

import re

from bot.understand.cues import CueMatcher
from bot.understand.model import Intent
from bot.understand.normalise import GENERIC_CAPS, count_words

OFFER = CueMatcher(
    r"\b(?:vous|te|t') mettre en (?:relation|contact)\b",
    r"\bcome along\b|\bjoin us\b|\bpop (?:in|by)\b|\bstop by\b",
    r"\b(?:could|can|happy to|glad to) meet\b|\bmeet (?:up )?for (?:a )?coffee\b",
    r"\bsend (?:me|over) (?:the|your) (?:draft|paper|data|file|questionnaire|proposal|protocol|slides)\b",
    r"\bi'?ll give you (?:feedback|comments|a hand|notes)\b",
    r"\b(?:want|like|need) (?:an? )?(?:intro|introduction|e-?mail intro)\b",
    r"\bi know (?:someone|somebody|a person|people|a few people) (?:at|in|who|from)\b",
    r"\bi (?:can|could) (?:\w+ )?(?:look at|have a look|take a look|proofread|skim)\b",
    r"我可以[^。！？]{0,12}(?:发给|發給|分享|介绍|介紹|帮|幫|联系|聯繫)",
    r"(?:如果|若)(?:你|您)?需要的话",
    r"可以(?:私信|联系|聯繫)我",
    r"\bse (?:ti|vi) serve,",
    r"\bposso (?:\w+ ){0,3}(?:metterti|mettervi|farti|farvi) ",
    r"\bkan ik (?:je|jullie|u) (?:\w+ ){0,4}(?:in contact brengen|helpen|sturen|voorstellen|doorverwijzen|geven)\b",
    r"\bwenn (?:du|sie|ihr) (?:magst|mögen|möchtest|möchten|willst|wollt),",
    r"\bkann ich (?:dich|dir|euch|sie|ihnen) (?:\w+ ){0,5}(?:in kontakt bringen|vorstellen|verbinden|schicken|helfen|"
    r"zeigen|weiterleiten)\b",
    r"\b(?:they'?re|it'?s|are|is) (?:all )?yours (?:if|to|for the asking)\b",
    r"\bcould (?:send|share|forward) (?:you|it|them|over|my|our)\b",
    r"\bwe have (?:a |an )?(?:spare|free|open|empty|extra) (?:seat|slot|spot|place|desk|bench|room|ticket)s?\b",
    r"\bif you want to (?:present|join|come|visit|use|borrow|try|sit in)\b",
    r"\b(?:happy|glad|delighted|keen|more than happy|willing|available) to (?:\w+ )?"
    r"(?:chat|talk|help|share|hop|"
    r"jump|do|walk|show|intro|introduce|connect|send|give|host|meet|review|discuss|answer|compare|set up|"
    r"put you|get you|point you|tell you|explain|call)\b",
    r"\bintroduce you to (?:my|our|a|an|someone|some)\b",
    r"\b(?:would|'d) (?:\w+ )?love to (?:chat|talk|introduce|compare|join|connect|have you|meet|hear|help|host|show|"
    r"share|collaborate|discuss|grab|get)\b",
    r"\bwould be (?:great|nice|fun|happy) to (?:grab|chat|meet|talk)",
    r"\bdms? (?:are |is )?(?:always )?open\b",
    r"\b(?:dm|message|email|e-mail|ping|contact|call) me\b",
    r"\bfeel free to (?:reach out|dm|message|email|ping|get in touch|drop by|contact)\b",
    r"\b(?:you're|you are) (?:\w+ )?welcome to (?:drop by|visit|join|come|stop by)\b",
    r"\bdrop by\b",
    r"\bi'?ll send you (?:a |an )?(?:message|dm|note|email|link)\b",
    r"\bsending you a (?:dm|message)\b",
    r"\bi (?:can|could) (?:\w+ )?(?:intro|introduce|connect|put you in touch|share|send|help)\b",
    r"\blet'?s (?:chat|talk|connect|grab|meet|hop)\b",
    r"\bhit me up\b",
    r"\breach out (?:to me|anytime)\b",
    r"\bget in touch\b",
    r"\bcome (?:visit|say hi|by)\b",
    r"\bmy door is open\b",
    r"\bhappy to\b",
    r"\bi have (?:room|space|capacity|time) for\b",
    r"\b(?:i )?could (?:maybe |probably |possibly )?(?:help|chip in|contribute|pitch in)\b",
    r"\bif you need (?:a |an |any |some )?(?:help|hand|reviewer|second|co-?author|collaborator|someone|"
    r"pair of eyes|feedback|beta ?testers?)\b",
    r"\bi'?m around\b",
    r"\b(?:yours|it'?s yours) if you want\b",
    r"\bwould you like me to\b",
    r"\bshall i (?:send|share|intro|introduce|connect|ask|forward)\b",
    r"\blet me know (?:and|if) i'?ll\b",
    r"\bcan send (?:you|it|them|over)\b",
    r"\bopen to (?:a chat|chatting|a call|talking|collaborat|helping)",
    r"\bwe'?d (?:love|welcome|be happy|be glad) to (?:have|host|help|hear|see)\b",
    r"\b(?:grab|get) (?:a )?(?:coffee|virtual coffee|quick call)\b",
    r"\bich stehe (?:gern(?:e)? )?zur verfügung\b",
    r"\b(?:kann|könnte) ich (?:ihnen|dir|euch)\b",
    r"\bich würde mich freuen\b",
    r"\bkommen? (?:sie |du )?gern(?:e)? vorbei\b",
    r"\bje serais (?:ravie?|heureuse?|contente?) de\b",
    r"\bje (?:te|vous) propose\b",
    r"\bje suis disponible\b",
    r"\bon peut en (?:parler|discuter)\b",
    r"\bn'hésite(?:z)? pas\b",
    r"\bestar[íi]a (?:encantad[oa]|feliz) de\b",
    r"\bpodemos (?:hablar|charlar|quedar|vernos)\b",
    r"\bestoy disponible\b",
    r"\bme ofrezco\b",
    r"\bsarei (?:felice|content[oa]|lieto|lieta) di\b",
    r"\bsono disponibile\b",
    r"\bpossiamo (?:sentirci|parlarne|vederci)\b",
    r"\bmi offro\b",
    r"\bik (?:help|deel|stuur|laat) (?:je |jullie |u )?(?:\w+ )?graag\b",
    r"\bik wil (?:je|jullie|u) (?:graag|best)\b",
    r"\blaat (?:het |maar )?(?:even )?weten\b",
    r"\bmail (?:me|mij) (?:gerust|maar)\b",
    r"\bwe kunnen (?:even |gerust )?(?:bellen|afspreken|praten)\b",
    r"\b(?:je bent|jullie zijn|u bent) (?:van harte |altijd )?welkom\b",
    r"\bik ben (?:graag )?bereid\b",
    r"\bik kan (?:je|jullie|u)\b",
    r"\bpodemos (?:conversar|falar|marcar)\b",
    r"\bestou disponível\b",
    r"\bme chama\b",
    r"\bmanda (?:uma )?mensagem\b",
    r"\b(?:teria|com) todo o gosto\b",
    r"(?:よろしければ|よければ)[^。！？]{0,20}(?:紹介|連絡|送|共有|お話|話し|相談|案内|手伝|メール|dm)",
    r"お声がけ",
    r"ご相談ください",
    r"協力(?:でき|します)",
    r"案内(?:でき|します)",
    r"お話(?:でき|しましょう|しませんか)",
    r"\bi'?ll (?:happily |gladly )?(?:send|forward|share|introduce|connect|dig up|dm|email|put you)\b",
    r"\bi (?:can|could) ask (?:my|our)\b",
    r"\byou(?:'re| are) (?:\w+ )?welcome to (?:use|borrow|present|attend|sit in)\b",
    r"\byou(?:'d| would) be (?:\w+ )?welcome to\b",
    r"\bcan (?:send|share) (?:it|them|this|that|my|our)\b",
    r"\bwe have (?:an opening|a slot|space|room) (?:for|in|at)\b",
    r"\bte (?:paso|mando|envío|presento)\b",
    r"\bje (?:t'|vous )envoie\b|\bje (?:te|vous) présente\b",
    r"\bti (?:mando|giro|presento)\b",
    r"\bich schick(?:e)? (?:dir|euch|ihnen)\b",
    r"\b(?:te|lhe) (?:mando|envio|apresento)\b",
    r"\bik stuur (?:je|jullie|u)\b",
    r"(?:お送り|送り|紹介)します",
    r"\b(?:i'?d be|i am|i'?m) (?:very |really )?interested in (?:collaborating|joining|helping|working|contributing)",
    r"\b(?:count me in|sign me up)\b",
    r"\bi'?d (?:be up for|join|happily)\b",
    r"\bi'?m (?:up for|in if)\b",
    r"\bwant me to (?:send|share|intro|introduce|connect|look)\b",
    r"\b(?:drop me a line|ping me|my email is|my inbox is open)\b",
    r"\bi (?:can|could) (?:\w+ )?(?:send|share) (?:you )?(?:my|our|the)\b",
    r"\bich (?:hätte|habe) interesse\b",
    r"\bich helfe gern",
    r"\bje suis partante?\b",
    r"\bça m'intéresse\b",
    r"\bje veux bien (?:aider|participer|partager)",
    r"\bme apunto\b",
    r"\bcuenta conmigo\b",
    r"\bci sto\b",
    r"\bik doe (?:graag )?mee\b",
    r"\bik heb (?:wel )?interesse\b",
    r"\btenho interesse\b",
    r"\bconte comigo\b",
    r"興味があります",
    r"参加したい",
    r"手伝え(?:ます|る)",
    r"\bif you(?:'re| are) up for it\b",
    r"\b(?:would|'d) (?:\w+ )?love to (?:swap|trade|exchange|review|pair|work|read|see)\b",
    r"\bi (?:can|could) (?:\w+ )?(?:do|run|give|review|look over|walk you|take|mentor|pair|offer|lend|host|read)\b",
    r"\bi'?m (?:happy|available|around|free|open|glad) (?:to|for)\b",
    r"\blet me know if you(?:'d)? (?:want|like|need)\b",
    r"\b(?:email|e-mail|mail|write to) me\b",
    r"\bich (?:könnte|kann|würde) (?:ihnen|dir|euch) (?:\w+ ){0,5}(?:schicken|senden|zeigen|erklären|helfen|"
    r"vorstellen|geben|weiterleiten)",
    r"\b(?:melden|schreiben) sie (?:sich|mir)\b",
    r"\bbei interesse\b",
    r"\bik kan (?:je|jullie|u) (?:\w+ ){0,5}(?:in contact brengen|helpen|sturen|laten zien|voorstellen|"
    r"doorverwijzen|geven)",
    r"\blaat ik (?:je|jullie|u)\b",
    r"\bals je wil(?:t)?,",
    r"\bstuur (?:me|mij) (?:gerust |even |maar ){0,2}(?:een )?(?:bericht|dm|mail|berichtje)",
    r"\b(?:je|jullie|u) (?:mag|mogen) (?:\w+ )?gebruiken\b|\bdie je mag gebruiken\b",
    r"\bfeel free to (?:use|borrow|reuse)\b",
    r"\byou can (?:use|have|borrow) (?:it|them|mine|ours|our)\b",
    r"\bneem gerust contact\b",
    r"\bposso (?:\w+ ){0,3}(?:fazer|mandar|enviar|ajudar|apresentar|mostrar|partilhar|compartilhar)",
    r"\b(?:me|mim) mand(?:ar|e|a) (?:uma )?mensagem\b",
    r"\bfico feliz em\b",
    r"\b(?:estou|fico) (?:à|a) disposição\b",
    r"\bpuedo (?:\w+ ){0,3}(?:pasarte|enviarte|mandarte|ayudarte|presentarte|mostrarte|hacer|compartir)",
    r"\bsi (?:quieres|te interesa),? te\b",
    r"\bje (?:peux|pourrais) (?:\w+ ){0,3}(?:partager|envoyer|montrer|aider|présenter|relire)",
    r"\bposso (?:\w+ ){0,3}(?:mandarti|inviarti|aiutarti|presentarti|mostrarti|condividere)",
    r"\bse (?:vuoi|ti interessa),",
    r"\bse (?:quiser|quiserem|preferir|você quiser),",
    r"\bsi (?:quieres|queréis|lo prefieres),",
    r"\bsi (?:tu veux|vous voulez|ça vous intéresse|ça t'intéresse),",
    r"\bwenn (?:du|sie|ihr) (?:willst|wollen|möchtest|möchten|wollt),",
    r"メール(?:ください|下さい|して)",
    r"ご連絡",
    r"お手伝い(?:でき|します)",
    r"(?:共有|お送り|ご紹介)(?:でき|します)",
    r"\bmelde? dich\b",
    r"\bschreib mir\b",
    r"\bgerne? (?:helfe|zeige|teile|unterhalte|vorstellen|stelle)",
    r"\bich kann (?:dich|euch) (?:gerne )?(?:vorstellen|verbinden|vernetzen)",
    r"\bn'hésitez? pas à me\b",
    r"\bécris-moi\b",
    r"\bécrivez-moi\b",
    r"\bcontacte[zs]?-moi\b",
    r"\bje (?:peux|pourrais) (?:te|vous) "
    r"(?:présenter|mettre en contact|aider|envoyer)",
    r"\bavec plaisir\b",
    r"\bvolontiers\b",
    r"\bescr[ií]beme\b",
    r"\bcontáctame\b",
    r"\bcon gusto\b",
    r"\bencantad[oa] de (?:ayudar|charlar|hablar)",
    r"\bte (?:puedo|podría) (?:presentar|ayudar|pasar)\b",
    r"\bmánda(?:me)? un (?:dm|mensaje)\b",
    r"\bscrivimi\b",
    r"\bcontattami\b",
    r"^\s*volentieri\b",
    r"\b(?:ti|vi|le) (?:\w+ )?volentieri\b",
    r"\bvolentieri (?:ti|vi)\b",
    r"\bfelice di (?:aiutar|parlar|condivider)",
    r"\bti (?:posso|potrei) (?:presentare|aiutare|mandare)\b",
    r"dmください",
    r"お気軽に",
    r"ご連絡ください",
    r"喜んで",
    r"紹介(?:でき|します|しましょう)",
    r"お話し(?:しましょう|できれば)",
    r"連絡(?:して|ください)",
)
OFFER_HEDGE = CueMatcher(
    r"\b(?:swap|trade|exchange) (?:notes|drafts|ideas|war stories|tips)\b",
    r"\bsame boat\b",
    r"\bnot sure i (?:have|'ve got) (?:the )?(?:time|bandwidth|capacity)\b",
    r"\bif it happens\b",
    r"\bnot sure (?:about )?(?:my time|i have (?:the )?time|if i have|i can commit)\b",
    r"\b(?:could|can) maybe\b",
    r"\bif there'?s (?:room|space)\b",
    r"\bif (?:it'?s|that'?s) (?:ok|okay)\b",
)

_CRITIQUE = CueMatcher(
    r"\bi see (?:it|this|that|things) (?:differently|otherwise)\b|\bich sehe (?:das|es) anders\b|"
    r"\bje vois (?:les choses|ça|cela) autrement\b|\blo veo (?:distinto|diferente|de otra manera)\b|"
    r"\bla vedo (?:diversamente|in modo diverso)\b|\bik zie (?:dat|het) anders\b|\bvejo (?:de outra forma|diferente)\b",
    r"\bthe (?:problem|issue|bottleneck) (?:isn'?t|is not) (?:the )?[\w-]+,? (?:but|it'?s)\b|\bdas problem ist nicht\b|"
    r"\ble problème n'est pas\b|\bel problema no es\b|\bil problema non è\b|\bhet probleem is niet\b|"
    r"\bo problema não é\b",
    r"\b(?:dumb|bad|terrible|awful|flawed|poor|weak|misleading) (?:metric|measure|proxy|benchmark|indicator)\b",
    r"\b(?:question|premise|framing|scope) (?:itself )?(?:is|seems|feels) (?:a bit |way |far |much )?too (?:broad|vague|"
    r"narrow|general|simple|simplistic)\b",
    r"\b(?:won'?t|will not|doesn'?t|does not|can'?t|cannot) (?:fix|solve) (?:that|this|it|the problem)\b",
    r"前提(?:に|には|が|は)[^。]{0,10}(?:疑問|問題|無理)",
    r"疑問があ",
    r"前提(?:有问题|有問題|是错|是錯)|我不同意|不太同意",
    r"\bi'?m (?:\w+ )?(?:wary|cautious|worried) (?:of|about)\b",
    r"\bnot to be that (?:person|guy|gal|pedant)\b",
    r"\bsolution (?:looking for|in search of) a problem\b",
    r"\bpart of the problem\b",
    r"\b(?:isn'?t|is not|wouldn'?t) the (?:bigger|real|main|actual) (?:issue|problem|question|risk)\b",
    r"\b(?:not sure|pas sûre?|pas certaine?|no estoy segur[oa]|non sono sicur[oa]|nicht sicher|niet zeker|"
    r"não tenho certeza|não sei se)\b.{0,30}\b(?:right|bonne|correcta|adecuada|giusta|richtige|juiste|certa|correta) "
    r"(?:question|pregunta|domanda|frage|vraag|pergunta)\b",
    r"\b(?:le vrai problème|el (?:verdadero )?problema (?:real|de fondo)|el verdadero problema|il (?:vero )?problema "
    r"vero|das eigentliche problem|het echte probleem|o verdadeiro problema|o problema real)\b",
    r"\bfalsch gestellt\b",
    r"\bfalse (?:dichotomy|binary|choice|equivalence)\b",
    r"\b(?:big|huge|strong|massive) assumption\b",
    r"\bi don'?t think (?:that'?s|this is|it'?s|that is) (?:the right|a fair|a good|a useful|a valid|right|fair|true|"
    r"accurate|the case)\b",
    r"\bthe (?:bigger|real|main|actual) (?:risk|danger|problem|issue|worry) (?:here )?is\b",
    r"\b[\w]+-centric (?:framing|view|take|question|premise|assumption)\b",
    r"\bi'?d be (?:very |quite )?(?:skeptical|sceptical)\b",
    r"\bthe question (?:itself )?(?:is|seems|feels) (?:a bit |slightly |somewhat |kind of )?(?:off|wrong|misguided|"
    r"misframed|backwards|loaded|confused)\b",
    r"\bi'?d push (?:on|back on) (?:this|that|the)\b",
    r"^\s*the (?:problem|issue|trouble) (?:here )?is that\b",
    r"\b(?:that|this|it) (?:won'?t|doesn'?t|can'?t|will not|does not|cannot) (?:work|scale|hold up|generali[sz]e)\b",
    r"\bwrong way (?:round|around)\b|\bputting the cart before the horse\b",
    r"^\s*sorry,? but\b",
    r"\b(?:wouldn'?t|doesn'?t|won'?t) (?:that|this|it) just (?:measure|capture|reflect|select|reward)\b",
    r"\b(?:biased|skewed|self-selected) (?:sample|data|dataset)\b|\b(?:selection|sampling) bias\b",
    r"\bi'?m not (?:so )?sure (?:this|that|it)(?: is|'s) the (?:right|real|correct|best) (?:question|approach|way|framing)\b",
    r"\bmake(?:s)? (?:the problem|things|it) worse\b",
    r"\bpush ?back\b",
    r"\bcounter-?argument\b",
    r"\bcounter-point\b",
    r"\bcounterpoint\b",
    r"\bi (?:strongly )?disagree\b",
    r"\bdisagree with\b",
    r"^\s*careful\b",
    r"\bgenuine concern\b",
    r"\bunderrates?\b",
    r"\boverrates?\b",
    r"\bwrong "
    r"(?:design|question|framing|approach|frame)\b",
    r"\bthe (?:framing|premise)\b",
    r"\bdoesn'?t hold\b",
    r"\bnot convinced\b",
    r"\bi'?m (?:\w+ )?(?:skeptical|sceptical)\b",
    r"\bi'?d (?:challenge|question) the\b",
    r"\bmisleading\b",
    r"\bconflat",
    r"\bthink hard about whether\b",
    r"\bis a myth\b",
    r"\b(?:a |is a )dead end\b",
    r"\b(?:is|are) (?:a )?(?:red herring|non-?starter)\b",
    r"\bbarking up the wrong tree\b",
    r"\bthe wrong (?:question|way to (?:think|look))\b",
    r"\bno se sostiene\b|\bno estoy de acuerdo\b|\bnon sono d'accordo\b|\bsackgasse\b|\bimpasse\b",
    r"\bi'?d argue\b",
    r"\bje ne suis pas d'accord\b",
    r"\bpas convaincue?\b",
    r"\bich bin skeptisch\b",
    r"\bwiderspreche\b",
    r"\beinwand\b",
    r"\bno estoy de acuerdo\b",
    r"\bno me convence\b",
    r"\bnon sono d'accordo\b",
    r"\bnon mi convince\b",
    r"^\s*(?:polite|gentle|friendly|respectful) (?:note|pushback|caveat|correction|objection|disagreement)\b",
    r"^\s*respectfully\b",
    r"\bwith (?:all due )?respect\b",
    r"\bi'?d caution\b",
    r"\b(?:may|might|will|would) not tell you (?:much|anything)\b",
    r"\bwon'?t tell you (?:much|anything)\b",
    r"\bis the second question\b",
    r"\bthe (?:real|first|bigger|actual) (?:question|issue|problem) is\b",
    r"\byou(?:'re| are) (?:asking|solving|optimi[sz]ing) the wrong\b",
    r"\bnot the (?:right|real) (?:question|problem|bottleneck)\b",
    r"\bi don'?t (?:buy|think that'?s right)\b",
    r"\boverstat(?:es|ed|ing)\b",
    r"\bno creo que\b",
    r"\bje doute\b",
    r"\bich glaube nicht,? dass\b",
    r"\bnon credo che\b",
    r"\bnon sono (?:del tutto )?convint[oa]\b",
    r"\bno estoy (?:del todo )?convencid[oa]\b",
    r"\bnicht (?:ganz )?überzeugt\b",
    r"\bniet (?:helemaal )?overtuigd\b",
    r"\bnão estou (?:totalmente )?convencid[oa]\b",
    r"\bik betwijfel\b",
    r"\bik denk niet dat\b",
    r"\bnão (?:acho|creio) que\b",
    r"\b(?:hard|strongly|respectfully) disagree\b",
    r"\bnot sure i agree\b",
    r"\bmiss(?:es|ing) the point\b",
    r"\bthat'?s not (?:true|how|what|really)\b",
    r"\bthis is (?:just )?wrong\b",
    r"\b(?:is|are|seems|sounds) (?:deeply |fundamentally |badly )?flawed\b",
    r"\bsurvivorship bias\b",
    r"\bcherry-?pick",
    r"\bbegs the question\b",
    r"\bdevil'?s advocate\b",
    r"\bi'?d (?:be careful|question whether|caution against)\b",
    r"\bbe careful (?:with|about)\b",
    r"\b(?:isn'?t|aren'?t) (?:really|actually) (?:the|a|about)\b",
    r"\bdiscrepo\b",
    r"\bme parece un error\b",
    r"\bc'est faux\b",
    r"\bpas si simple\b",
    r"\bstimmt (?:so )?nicht\b",
    r"\bhalte ich für (?:falsch|überschätzt|fragwürdig)",
    r"\bnon è così\b",
    r"\bklopt (?:niet|gewoon niet)\b",
    r"\bik ben het (?:er )?niet (?:mee )?eens\b",
    r"\bnão concordo\b",
    r"\bdiscordo\b",
    r"それは違う",
    r"疑問です",
    r"^\s*(?:polite|gentle|friendly|honest|respectful|unpopular|contrarian|mild|slightly contrarian)"
    r"(?: but (?:honest|firm|direct))? (?:note|take|pushback|caveat|opinion|view|correction|warning)s?\s*[:—–-]",
    r"^\s*(?:polite|gentle|respectful|friendly|kind) but (?:honest|firm|direct|blunt)\b",
    r"\bcon todo (?:el )?respeto\b",
    r"\bavec tout le respect\b",
    r"\bbei allem respekt\b",
    r"\bcon tutto il rispetto\b",
    r"\bmet alle respect\b",
    r"\bcom todo o respeito\b",
    r"\bi'?d (?:\w+ )?(?:question|challenge) (?:whether|the|that|if)\b",
    r"\bmaybe the (?:real )?problem (?:isn'?t|is not)\b",
    r"\b(?:this|that|it) assumes\b",
    r"\b(?:this|that|it) (?:seems to |appears to )?assumes?\b",
    r"\b(?:a |the )?well-posed question\b",
    r"\b(?:analogy|comparison|argument|framing|metaphor|logic|reasoning|premise) (?:\w+ )?breaks down\b",
    r"\bbreaks down (?:quickly|fast|immediately|completely)\b",
    r"\bcategory (?:error|mistake)\b",
    r"\bi'?d be (?:cautious|careful|wary|hesitant)\b",
    r"^\s*(?:mild|minor|slight|small|one|strong|quick) (?:objection|quibble|disagreement|nitpick)\b",
    r"\byou(?:'re| are) (?:under|over)(?:estimating|rating|selling|stating)\b",
    r"\bisn'?t (?:this|that|it) just\b",
    r"\bwith extra steps\b",
    r"\b(?:doesn'?t|don'?t|won'?t) replicate\b",
    r"\bignores? (?:that|the fact)\b",
    r"\b(?:this|your) (?:framing|premise)\b",
    r"\bpremis\w*.{0,30}\b(?:falsa|errónea|fausse|erronée|falsch|fragwürdig|onjuist|verkeerd|sbagliata|errata|"
    r"errada|wrong|flawed|shaky)\b",
    r"\bprämisse.{0,30}\b(?:falsch|fragwürdig)\b|\bprémisse.{0,30}\b(?:fausse|erronée|bancale)\b",
    r"\b(?:cuestiono|contesto|questiono|bezweifle|betwijfel|conteste|questiono) (?:la |a |die |de )?pr[eéä]mis",
    r"\b(?:pregunta (?:equivocada|mal planteada)|question mal posée|mauvaise question|falsche frage|"
    r"verkeerde vraag|pergunta errada|domanda sbagliata|mal posée?)\b",
    r"\b(?:greift zu kurz|verwechselt|verwar(?:t|ren)|confunde|confond(?:re|ez)?|confundir|confondere)\b",
    r"\b(?:está|está totalmente) errad[ao]\b",
    r"^\s*(?:eso|esto) no es\b|^\s*(?:ce n'est pas|das ist kein|dat is geen|isso não é|questo non è)\b",
    r"\bhard to see (?:how|why|what)\b",
    r"\bwithout (?:a|any) (?:control|baseline|null model)\b",
    r"\b(?:this|that|it)(?:'s| is) (?:just )?noise\b",
    r"\b(?:strong|bold|big) claim\b",
    r"\bthe (?:problem|trouble) with (?:this|that|the (?:premise|framing|idea|question))\b",
    r"\bi'?m not (?:so )?sure (?:that'?s|this is|that is|it'?s) (?:right|true|the case|a good)\b",
    r"\b(?:one|big|major|important) caveat\b",
    r"\bi(?:'d| would) (?:be wary|question)\b",
    r"\bunconvinced\b",
    r"\bi worry (?:that|this|about)\b",
    r"\bmy (?:worry|concern) (?:is|here)\b",
    r"^\s*(?:hmm+|nah|meh|eh|not really)\b",
    r"^\s*(?:actually|well,? actually),",
    r"反論",
    r"異論",
    r"違和感",
)
_SARCASM = CueMatcher(
    r"\boh (?:great|good|wow|sure|joy)\b",
    r"\bwhat a (?:surprise|shock)\b",
    r"\bwho (?:could|would)(?: have|'ve) (?:guessed|thought)\b",
    r"🙄",
    r"\byeah,? right\b",
    r"\bnext you'?ll (?:want|say|tell)\b",
    r"^\s*ah yes\b",
    r"\bsaid no one\b",
    r"\bwhat could (?:possibly )?go wrong\b",
    r"(?:^|\s)/s\b",
    r"\bsure,? because\b",
)
_JOKEY = CueMatcher(
    r"\bgood luck\b|\brooting for you\b|\bfingers crossed\b",
    r"\bmy (?:grand(?:mother|father|ma|pa|parents)|mum|mom|dad|father|mother|aunt|uncle|nan|granny)\b",
    r"\bwish i (?:still )?had\b",
    r"\bevery time (?:someone|somebody|anyone) (?:asks|posts|says)\b",
    r"\brelatable\b|\b(?:too|so) real\b",
    r"\bnothing (?:useful |much |of value )?to add\b",
    r"\bi (?:just )?love this (?:question|thread|idea)\b",
    r"\b(?:reposting|boosting|bumping|signal[- ]boosting|amplifying) (?:this|for)\b|\bfor visibility\b",
    r"^\s*(?:such|what) an? (?:fun|great|good|lovely|useful|brilliant|interesting|fascinating|timely) "
    r"(?:thread|question|discussion|topic|conversation)\b",
    r"^\s*(?:love|loving) (?:seeing|this|that|how)\b",
    r"\btakes me back\b",
    r"\blol\b",
    r"\blmao\b",
    r"\bhaha",
    r"^\s*ha\b",
    r"\btbh\b",
    r"\bsame\b",
    r"\bmood\b",
    r"[😂🤣🙃😅😄😊😆😁😉🌱❤🐈👀🙏💀🥲🤔]",
    r"\bjk\b",
    r"\bfollowing\b",
    r"^\s*\+1\b",
    r"\bthis!",
    r"^\s*(?:great|good|love|interesting|fascinating|excellent|important) (?:question|thread|idea|post|topic)\b",
    r"\b(?:bookmark(?:ing|ed)|saving this|watching this (?:thread|space)|subscribing|following this)\b",
    r"\b(?:me too|same here|seconding this|commenting for reach)\b",
    r"\b(?:this|the) (?:thread|replies)\b",
    r"\bmy (?:timeline|feed|for-?you page)\b",
    r"\bcame for\b.{0,40}\bstayed for\b",
    r"\bi (?:love|loved) it\b",
    r"\bi can feel it\b",
    r"^\s*(?:agreed|exactly|so true|yes+|yep|100%|seconded|this)(?:\s*[.!,]|\s*$)",
    r"\bthe real [\w-]+ (?:was|is|were) the friends\b",
    r"\bdoes (?:that|this) count\b",
    r"\bmy (?:cat|dog|toddler|kid)\b",
    r"\bcouldn'?t agree more\b",
    r"\bthanks? (?:you )?for (?:asking|this|sharing|posting)\b",
    r"\bcongrat",
)

_RESOURCE_NOUN = CueMatcher(
    r"\b(?:paper|papers|book|books|tutorial|dataset|datasets|data set|repo|repository|github|podcast|video|"
    r"slides|proceedings|report|preprint|survey|review article|blog|textbook|corpus|course|lecture|talk|"
    r"reading list|newsletter|thesis|chapter|handbook|library|zotero|toolkit|package|framework docs|"
    r"bulk data|archive|wiki|documentation|website|site|workshop|conference|summer school|job board|database|"
    r"catalog|catalogue|portal|atlas|registry)\b",
    r"\b(?:article|livre|billet|papier|buch|artikel|aufsatz|libro|artículo|articolo|saggio|diapositivas)\b",
    r"論文",
    r"スライド",
    r"記事",
    r"データセット",
    r"書籍",
    r"本を",
)
_RESOURCE_STRONG = re.compile(
    r"https?://|\bwww\.|\b[\w-]+\.(?:com|org|net|io|ai|fm|edu|dev|xyz|ca|de|fr|jp|uk|ch)/\S|\barxiv\b|"
    r"\bdoi\b|\bet al\b|\(\s*(?:19|20)\d\d\s*\)|\b[A-Z][\w-]+ (?:&|and) [A-Z][\w-]+,? \(?(?:19|20)\d\d\b",
)
_QWORDS_START = CueMatcher(
    r"^(?:what|how|why|who|whom|which|where|when|whether|do|does|did|is|are|was|were|can|could|would|will|"
    r"should|have|has|had|any|anyone|anybody|isn't|aren't|don't|doesn't|wouldn't|shouldn't|"
    r"was|wie|warum|wer|welche[rsn]?|gibt es|hast du|habt ihr|kannst du|kennt|qu'|que|quel|quelle|comment|"
    r"pourquoi|qui|est-ce|as-tu|avez-vous|qué|cómo|por qué|quién|cuál|hay|tienes|che|come|perché|chi|quale|"
    r"hai|avete|c'è|quanto|quanti|quanta|quante|dove|quando|cosa|cuánto|cuántos|cuántas|cuándo|dónde|quantos|"
    r"quantas|onde|qual|quais|quem|como|hoeveel|wat|hoe|waarom|wie|welke|waar|wanneer|wieviel|wie viele|wo|wann|"
    r"was|wozu|weshalb|combien|où|quand)\b"
)
_QWORDS_ANY = CueMatcher(r"\b(?:what|how|why|who|which|where|when|whether|curious if|wondering)\b")


# yes/no and either/or questions without a question word ("Bedoel je X of Y?", "¿Cuántas ...?", "raw or derived?")
_QUESTION_SHAPE = re.compile(
    r"^\s*¿|[かの][？?]$|ですか|ますか|でしょうか|\b(?:or|o|ou|oder|of|ovvero|oppure|ou seja)\b[^?？]{1,60}[?？]\s*$"
    r"|^\s*(?:@\S+\s+){0,25}(?:(?:et|and|und|e|en|y|mais|but|aber|ma|maar|pero|mas)\s+)?(?:on|bedoel|heb|hebben|is|zijn|kun|kan|wil|weet|heeft|moet|ma|ed|e|allora|sono|è|vendete|"
    r"usate|avete|hai|sei|siete|quindi|você|vocês|tem|têm|é|são|vai|vão|estão|está|já|tu|vous|est-ce|y|entonces|"
    r"tienen|tenés|usáis|usan|hay|es|son|está|están|ist|sind|habt|hast|gibt|seid|meinst|meinen|wollt|also)\b",
    re.IGNORECASE,
)


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|(?<=[？。！])\s*|\n+")
_RESOURCE_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_RHETORICAL = re.compile(r"\b(?:will|would|might|always) ask\s*:|\bthe question is\b", re.IGNORECASE)
_ASKS = re.compile(r"[?？]\s*$")
_CLAUSE = re.compile(r"[—–:;,]|\s-\s")
# a title is capitalised or several words; a single quoted lower-case word is a scare quote ("open" datasets)
_RESOURCE_TITLE = re.compile(
    r"[\"“'‘«「『](?![a-z])[^\"”'’»」』]{3,}[\"”'’»」』]|[\"“'‘«][a-z][^\"”'’»\s]*\s[^\"”'’»]{2,}[\"”'’»]"
)
_LATIN_WORD = re.compile(r"[A-Za-z][\w-]*")
MAX_SENTENCES = 40  # a real reply has fewer; past this the rest only counts as words


def _is_question(text: str) -> tuple[bool, int]:
    """Whether the reply asks something back, and how many words are not part of questions."""
    sentences = _SENTENCE_END.split(text, maxsplit=MAX_SENTENCES)
    asked = False
    rest = 0
    for s in sentences:
        st = s.strip()
        if len(st) > 400:  # the unsplit remainder, or one enormous "sentence": count it, do not parse it
            rest += count_words(st)
            continue
        rhetorical = _RHETORICAL.search(st)
        if not rhetorical and _ASKS.search(st):
            clauses = _CLAUSE.split(st)
            if (
                any(_QWORDS_START.match(c.strip().lstrip("¿+1 ")) for c in clauses)
                or _QWORDS_ANY.search(st)
                or _QUESTION_SHAPE.search(st)
            ):
                asked = True
                continue
        rest += count_words(st)
    return asked, rest


_TITLE = re.compile(
    r"(?i:\b(?:read|watch|listen to|cite|check out|lies|lisez|leggi|lee)\s+)[\"“'‘«「『]\w"
    r"|[\"“'‘«][A-Z][^\"”'’»]{3,}[\"”'’»],? (?:by|von|de|di|par) [A-Z]"
)


_CONTRACTED = frozenset("what that it there here let who where how he she this everyone nobody".split())
_BOOK_TITLE = re.compile(r"『[^』]{2,80}』")  # Japanese marks titles of books and works with 『』


def is_resource(body: str) -> bool:
    if _RESOURCE_STRONG.search(body) or _TITLE.search(body) or _BOOK_TITLE.search(body):
        return True
    for sentence in _RESOURCE_SENTENCE_END.split(body, maxsplit=MAX_SENTENCES)[:MAX_SENTENCES]:
        if not _RESOURCE_NOUN.search(sentence) or sentence.rstrip().endswith(("?", "？")):
            continue  # a question about archives is not a pointer to one
        if _RESOURCE_TITLE.search(sentence):
            return True  # a quoted title
        for i, m in enumerate(_LATIN_WORD.finditer(sentence)):
            t = m.group(0)
            owned = (
                sentence[m.end() : m.end() + 2] in ("'s", "’s") and t.lower() not in _CONTRACTED
            )  # "X's wiki"
            if (i == 0 and not owned) or not t[0].isupper() or t.lower() in GENERIC_CAPS:
                continue
            if _RESOURCE_NOUN.search(sentence[max(0, m.start() - 40) : m.end() + 40]):
                return True  # a named thing near the noun: "the Concordia tech report", "GECCO QD tutorial"
            if i > 60:
                break
    return False


def residual_intent(body: str, n_words: int) -> Intent:
    if _CRITIQUE.search(body) and n_words >= 3:
        return "critique"
    asked, rest = _is_question(body)
    if asked and rest < 20:
        return "question"
    if _SARCASM.search(body) or n_words < 8:
        return "social"
    if _JOKEY.search(body) and n_words < 25:
        return "social"
    if asked:
        return "answer" if rest >= 30 else "question"

    return "answer" if n_words >= 12 else "social"
