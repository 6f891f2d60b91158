"""Chinese cue phrases: regex alternatives, each searched in lower-cased text (pure data)."""

from bot.understand.lang.base import Cues

CUES = Cues(
    code="zh",
    stop_words=frozenset(),
    question_words=(),
    injection=(),
    spam=(
        r"包发表",
        r"保证发表",
        r"包录用",
    ),
    abuse=(
        r"骗子",
        r"不要脸",
        r"什么都不懂",
        r"回去读书",
        r"白痴",
        r"可耻",
    ),
    offer=(
        r"我可以[^。！？]{0,12}(?:发给|發給|分享|介绍|介紹|帮|幫|联系|聯繫)",
        r"(?:如果|若)(?:你|您)?需要的话",
        r"可以(?:私信|联系|聯繫)我",
        r"可以发给你",
        r"私信我",
        r"我可以帮",
        r"欢迎联系我",
    ),
    critique=(
        r"前提(?:有问题|有問題|是错|是錯)",
        r"我不同意",
        r"不太同意",
        r"问题不在于",
        r"伪命题",
        r"没有意义",
        r"前提有问题",
    ),
    resource_nouns=(),
    senior_bio=(),
    experience=(),
    them_contact=(),
    contact_before_handle=(),
    contact_before_name=(),
    contact_single=(),
    recommends=(r"联系|请教",),
    contact_org=(),
    not_contact=(r"(?:别|不要|千万别)(?:去)?(?:问|找|联系)",),
)
