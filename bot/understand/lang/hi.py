"""Hindi cue phrases, in Devanagari and in romanised Hindi-English: regex alternatives (pure data).

Hindi puts the name before the verb: "ममता यादव से बात कीजिए", "Ritu Malhotra ko email karo", "डॉ. शर्मा से
पूछिए"; the referral shapes read that order, and `not_name` trims the pronouns a shape catches before a name."""

from bot.understand.lang.base import Cues

CUES = Cues(
    code="hi",
    stop_words=frozenset(
        "hai hain ka ki ke se ko nahi nahin aap mein bhi yeh ye kya karo kar toh tha thi aur lekin bahut "
        "accha acha mujhe humne hum".split()
    ),
    question_words=(
        "kis",
        "kaunsa",
        "kaunsi",
        "kya",
        "kaise",
        "kyun",
        "kyon",
        "kaun",
        "kab",
        "kahan",
        "kitna",
        "kitne",
        "kitni",
    ),
    injection=(),
    spam=(
        r"घर बैठे",
        r"रोज़? ₹ ?\d",
        r"लिंक पर क्लिक",
        r"\bghar baithe\b",
        r"\broz ₹ ?\d",
        r"\bghar baithe kamaye\b|घर बैठे कमाएं",
        r"\bfollowers? badhao\b|फॉलोअर्स बढ़ाओ",
    ),
    abuse=(
        r"\b(?:besharam|jahil|gadhe)\b",
        r"बेशर्म|जाहिल",
        r"\b(?:bewakoof|bevkoof|gadha|chutiya|kamina|ullu ke pathe|nalayak)\b",
        r"बेवकूफ|गधा|गधे|मूर्ख|कमीन|नालायक|बकवास बंद",
        r"ठग",
        r"चोर कहीं के",
        r"शर्म करो",
        r"बेशर्म",
        r"बेवकूफ",
        r"मूर्ख",
        r"\bsharam karo\b",
        r"\bbesharam\b",
        r"\bbewakoof\b",
        r"\bchor kahin ke\b",
        r"\bbekaar ho\b|\bbakwas band karo\b|\bfraud log\b|\btum jaise log|\bdegree kahan se\b",
        # round 7: "useless X like you", "nonsense." closing the reply
        r"\b(?:aap|tum|tu) jaise (?:\w+ )?(?:bekaar|bekar|nikamme|nikamma|ghatiya|jahil|chor|fraud)\b",
        r"(?:आप|तुम) जैसे (?:\S+ )?(?:बेकार|निकम्मे|घटिया|जाहिल)",
        r"(?:^|[.!?]\s)(?:bakwaa?s|बकवास)[.!।]",
    ),
    offer=(
        r"चाहें तो[^।?!]{0,40}मैं",
        r"मैं [^।?!]{0,40}?(?:कर|दे|भेज|बता|दिखा|मिलवा) (?:सकता|सकती) हूँ",
        r"मुझसे (?:बात|संपर्क)",
        r"मुझे (?:लिखिए|लिखें|बताइए|बताएं)",
        r"\b(?:chahein|chahe|chahiye) (?:to|toh)\b[^.?!]{0,40}\b(?:main|mai)\b",
        r"\b(?:main|mai) [^.?!]{0,40}?(?:kar|de|bhej|bata|dikha|mila) (?:sakta|sakti) (?:hoon|hu|hun|hoo)\b",
        r"\bmujhse (?:baat|contact)",
        r"\b(?:main|mai) (?:aapko |aapki |tumhe |tumhari )?(?:\w+ ){0,3}?(?:bhej|share|madad|help|intro|introduce|"
        r"mila|connect)\w* (?:sakta|sakti|dunga|dungi|doonga|doongi|karunga|karungi|kar sakta|kar sakti|"
        r"kar dunga|kar dungi)",
        r"\b(?:mujhe|muje) (?:dm|message|msg|mail|email) (?:karo|karein|kar do|kijiye|kar dijiye)",
        r"\bkhushi se\b",
        r"मैं (?:आपको |आपकी |तुम्हें )?[^।?!]{0,25}?(?:भेज|शेयर|मदद|मिलवा|परिचय|जोड़)[^।?!]{0,8}"
        r"(?:सकता|सकती|दूंगा|दूंगी|दूँगा|दूँगी|करूंगा|करूंगी|करूँगा|करूँगी)",
        r"मुझे (?:डीएम|मैसेज|मेसेज|ईमेल)",
        r"खुशी से",
        r"बात करते हैं",
        r"मदद कर सकत",
        r"भेज सकत",
        r"दिलचस्पी है",
        r"\bbaat karte hain\b",
        r"\bbhej (?:sakta|sakti|dunga|dungi)\b",
        r"\bmadad kar (?:sakta|sakti|dunga|dungi)\b",
        r"\bdm (?:karo|karna|kijiye|karein)\b",
        r"मुझे मैसेज करें",
        r"\bping karo\b",
        r"\bkaise join kar|\bpadha (?:sakti|sakta) hoon\b",
        # round 8: 'I can share', 'DM/message me' (polite imperative), 'we are ready', 'ready for an interview'
        r"\b(?:share|send|bhej|dikha|bata) kar sakt[aie] (?:hoon|hun|hu)\b",
        r"\bdm (?:kijiye|kijie|karo|karein|कीजिए|करें)",
        r"मैसेज (?:कीजिए|करें|करिए)",
        r"हम तैयार हैं",
        r"\b(?:ready|taiyar) (?:hoon|hun|hu|hain)\b",
    ),
    critique=(
        r"असली सवाल|असल सवाल|असली समस्या|मूल समस्या",
        r"\basli (?:sawal|samasya|problem|mudda)\b",
        r"\b(?:main|mai) (?:is(?:se)? )?(?:sahmat|agree) nahi",
        r"\bagree nahi\b",
        r"\bpremise (?:hi )?(?:galat|theek nahi)",
        r"\bgalat (?:sawal|question)\b",
        r"सहमत नहीं",
        r"असहमत",
        r"(?:धारणा|आधार|मान्यता) (?:ही )?गलत",
        r"गलत सवाल",
        r"ग़लत सवाल",
        r"\b(?:main|mai) agree nahi\b",
        r"\bgalat sawal\b",
        r"\bproblem (?:yeh|ye) nahi\b",
        r"\bmujhe nahi lagta\b",
        r"\boverkill hai\b",
        r"ज़रूरत से ज़्यादा",
        r"\bzaroorat se zyada\b",
        r"मुझे नहीं लगता",
        r"\bgalat hai\b|गलत (?:तरीका|है)|\bmat rakho\b",
        # round 7: 'kaafi weak', 'sorry, but', 'not even necessary'
        r"\b(?:kaafi|bahut|thoda) weak\b",
        r"माफ़ कीजिए,? (?:लेकिन|पर)|माफ़ करें,? (?:लेकिन|पर)|माफ कीजिए,? (?:लेकिन|पर)|\bmaaf (?:kijiye|karna),? (?:lekin|par)\b",
        r"ज़रूरी ही नहीं|जरूरी ही नहीं|\bzaroori hi nahi\b",
        # round 8: 'the question itself is meaningless'
        r"बेमानी",
    ),
    resource_nouns=(
        r"\b(?:kitaab|kitab|manual|guide|report)\b",
        r"किताब|पुस्तक|रिपोर्ट|मैनुअल|गाइड|लेख",
    ),
    senior_bio=(
        r"डॉक्टर|\bdoctor\b",
        r"विशेषज्ञ|सलाहकार|सांख्यिकी|\bvisheshagya\b",
        r"किसान|बागवान|\bkisan\b",
        # round 8: clinical, language and fishing trades
        r"नर्स|चिकित्सक|फार्मासिस्ट|दुभाषिया|अनुवादक|टेस्टर|मछुआर",
    ),
    experience=(
        r"\bhumne (?:bhi )?(?:try|use|istemal)\b",
        r"हमने (?:भी )?(?:इस्तेमाल|आज़माया|किया)",
        r"\bhumne\b",
        r"हमने",
        r"ह(?<![\u0900-\u097f]ह)म(?![\u0900-\u097f])|\bhum log\b|\bhumne\b",
        r"(?:मेरे|हमारे) अनुभव|\b(?:mere|hamare) (?:anubhav|experience)\b",
    ),
    them_contact=(r"\b(?:unse|unhe) (?:baat|contact|email|message)\b", r"उनसे (?:बात|संपर्क)"),
    contact_before_handle=(),
    contact_before_name=(),
    contact_single=(),
    recommends=(r"\b(?:baat karo|baat kar|puch|pooch|contact|sampark)", r"बात कर|पूछ|संपर्क|विशेषज्ञ"),
    contact_org=(),
    social=(
        r"\b(?:bahut badhiya|badhiya|sahi kaha|ekdum sahi)\b",
        r"बहुत बढ़िया|बढ़िया|सही कहा",
        r"^\s*(?:shukriya|dhanyavad|dhanyawad)\b",
        r"\b(?:shukriya|dhanyavad|dhanyawad)\b",
        r"धन्यवाद|शुक्रिया",
        r"\b(?:bilkul sahi|sahi baat)\b",
        r"बिल्कुल सही|सही बात",
        r"\bkya baat hai\b",
        r"\bzabardast\b",
        r"\ball the best\b",
        r"शुभकामनाएं",
        r"शुभकामनाएँ",
        r"मज़ा आएगा",
        r"\bmaza aayega\b",
        r"ज़बरदस्त",
    ),
    question_any=(
        r"\b(?:kis|kisne|kisko|kaunsa|kaunsi|kaunse|ya)\b",
        r"किस|कौनसा|कौन सा|या",
        r"\b(?:kya|kaise|kyun|kyon|kaun|kab|kahan|kitn\w*)\b",
        r"क्या|कैसे|क्यों|कौन|कब|कहाँ|कहां|कितन",
        # round 7: a yes/no question ending in the auxiliary ('include kar rahe ho?', 'hai bhi?', 'है?')
        r"\b(?:hai|hain|ho|hoga|hogi|hoge|bhi|kya)\s*[?？]",
        r"(?:है|हैं|हो|होगा|होगी|होंगे|भी|क्या)\s*[?？]",
    ),
    referral_shapes=(
        r"(?P<name>{NAME})(?: (?:ji|sir|madam|ma'am))? (?:se|ko) (?:\w+ ){0,2}?"
        r"(?i:baat|puch|pooch|contact|sampark|mil|message|msg|email|mail|likh|call|dm)",
        r"(?:(?:डॉ\.?|डॉक्टर|प्रो\.?|प्रोफेसर|श्री|श्रीमती|सुश्री) ?)?"
        # not after a hyphen ("माता-पिता से पूछिए": parents, a role), and not a past tense ("किसी ने ड्राइवरों से
        # पूछा", "दीदी से मदद मिली", "उनसे बात की है"): an account, not advice
        r"(?<![-\u0900-\u097f])(?P<name>[\u0900-\u097f]+(?: [\u0900-\u097f]+){0,2})(?: जी)? (?:से|को) "
        r"(?:[\u0900-\u097f]+ ){0,2}?"
        r"(?:बात(?! (?:की|किया|हुई)(?![\u0900-\u097f]))|(?:पूछ|मिल|लिख)(?![ाीे](?![\u0900-\u097f]))|संपर्क(?! किया)|"
        r"ईमेल|मेल|मैसेज)",
    ),
    not_name=frozenset(
        "आप तुम उन इन इस उस मैं हम वे यह वह कोई किसी अपने अपनी मेरे मेरी मेरा हमारे हमारी एक और या भी तो ही "
        "लिए के की का है हैं था थी में पर बस शायद ज़रूर जरूर सीधे आपको कृपया प्लीज़ आज कल "
        "ने वाले वालों वाली ji sir madam".split()
    ),
    org_words=frozenset(
        "फाउंडेशन संस्थान संस्था केंद्र विभाग मंत्रालय प्रयोगशाला टीम ट्रस्ट सोसाइटी समिति परिषद अस्पताल "
        "विश्वविद्यालय foundation institute trust society".split()
    ),
    not_contact=(r"\b(?:mat|na) (?:puchho|pucho|poochho|poocho|poochna|puchna|contact karo|likho)",),
    not_contact_after=(
        r"^(?: (?:ji|जी))? (?:se|ko|से|को) (?:\S+ )?(?:mat|mt|na|मत|ना|न)\b",
        r"^(?: जी)? (?:से|को) (?:\S+ )?(?:मत|ना|न) ",
    ),
)
