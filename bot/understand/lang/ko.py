"""Korean cue phrases: regex alternatives, each searched in lower-cased text (pure data).

A Hangul name is 2-4 syllables before a title and a particle, then a contact verb: "김민준 교수님께 연락해
보세요", "이서윤 님한테 물어보세요"; `not_name` drops pronouns ("그분께 연락")."""

from bot.understand.lang.base import Cues

CUES = Cues(
    code="ko",
    stop_words=frozenset(),
    question_words=(),
    injection=(),
    spam=(r"팔로워 (?:\S+ )?(?:구매|판매|늘려)|(?:할인|특가) (?:\S+ )?(?:오늘만|지금)",),
    abuse=(
        r"쓰레기 같은|미친놈|미친 소리|꼴값|한심한 (?:놈|인간|사람)",
        r"멍청|바보 같은|병신|븅신|꺼져|닥쳐|한심하|찐따|개소리",
    ),
    offer=(
        r"(?:어|아|해|여|워) ?드릴(?:게요|게|수 있|까요|께요)",
        r"(?:답글|댓글|연락|dm|디엠|메일|쪽지) ?(?:주세요|남겨 주세요|남겨주세요)",
        r"(?:보내|공유해|소개해|연결해|도와|알려|전달해)\s?드릴(?:게요|게|수 있어요|수 있습니다|까요)",
        r"(?:dm|디엠|쪽지|메시지|메일)\s?(?:주세요|보내 주세요|보내주세요|주시면)",
        r"연락 ?주세요|연락 ?주시면|연락 ?주셔도",
        r"기꺼이",
    ),
    critique=(
        r"비현실적|현실적이지 않|너무 늦|오히려 (?:\S+ )?(?:문제|역효과)",
        r"동의하(?:지 않|기 어렵)|동의 못|동의가 안",
        r"전제(?:가|부터|는|자체가)? (?:\S+ )?(?:틀|잘못|문제)",
        r"그렇게 생각하지 않",
        r"질문 자체가",
        r"의문이 (?:듭니다|들어요|드네요)",
    ),
    resource_nouns=(r"가이드|지침|도구|보고서|논문|책을|책이|자료집|데이터베이스|아카이브|매뉴얼",),
    senior_bio=(),
    experience=(r"저희도 (?:\S+ )?(?:해 ?봤|써 ?봤|사용했)",),
    them_contact=(r"(?:그쪽|거기|그분들)(?:에|께|에게|한테) (?:연락|문의)",),
    contact_before_handle=(),
    contact_before_name=(),
    contact_single=(),
    recommends=(r"연락|문의",),
    contact_org=(),
    social=(
        r"맞아요|맞습니다|응원합니다|화이팅|파이팅|ㅠㅠ|좋네요|멋지네요",
        r"감사합니다|감사해요|고맙습니다|고마워요|ㅋㅋ|ㅎㅎ|동감|공감합니다|공감해요|좋은 질문",
    ),
    question_any=(
        r"아니면|또는|혹시",
        r"어떻게|왜|무엇|뭐|언제|어디|누구|어느|몇|나요|까요|습니까|인가요",
    ),
    referral_shapes=(
        r"(?<![\uac00-\ud7af])(?P<name>[\uac00-\ud7af]{2,4}?)\s?(?:[\uac00-\ud7af]{1,5}님|님|씨)(?:을|를)?\s?(?:꼭\s|강력\s)?추천",
        r"(?<![\uac00-\ud7af])(?P<name>[\uac00-\ud7af]{2,4}?)\s?(?:교수님|박사님|선생님|연구원님|대표님|팀장님|님|씨|"
        r"교수|박사|선생|\s[\uac00-\ud7af]{1,5}님)?\s?(?:께|에게|한테)(?:서)?\s?(?:\S+\s){0,2}?(?:연락|문의|물어|여쭤|이야기|얘기|메일|이메일|dm|DM|"
        r"말씀|상담|연결)",
        r"(?<![\uac00-\ud7af])(?P<name>[\uac00-\ud7af]{1,12}(?:센터|연구소|학회|협회|재단|병원|위원회))"
        r"(?:에|측에|으로|로)?\s?(?:\S+\s){0,2}?(?:연락|문의|물어|메일|이메일)",
        # an agency or institute as the subject ("X청에서 ... 운영하고 있어요"), then "mail them / the office" later
        r"(?<![\uac00-\ud7af])(?P<name>[\uac00-\ud7af]{2,12}(?:청|연구원|공단|협동조합|기관|센터|연구소|학회|협회|재단|"
        r"위원회|시청|구청|도청))(?:에서|이|가|은|는)\s(?=[^\n]{0,200}?(?:담당 ?부서|담당자|거기|그쪽|그곳)(?:에|께|에게)\s?"
        r"(?:메일|이메일|연락|문의))",
    ),
    not_name=frozenset(
        "그분 이분 저분 그 저 제 저희 우리 선배 교수 담당자 관계자 연구실 팀 학회 센터 거기 그쪽".split()
    ),
    org_words=frozenset("센터 연구소 학회 협회 재단 병원 위원회 청 연구원 공단 협동조합 기관".split()),
    not_contact_after=(r"^\s?\S{0,8}\s?(?:\S+\s){0,2}?\S{0,6}(?:지 ?마|지 ?말|지 않는 게)",),
)
