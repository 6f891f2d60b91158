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
        r"加微信|包过|日赚",
    ),
    abuse=(
        r"骗子",
        r"不要脸",
        r"什么都不懂",
        r"回去读书",
        r"白痴",
        r"可耻",
        r"你懂什么|滚吧",
        r"谁(?:会)?理你|别自我感动",
        # round 9: 'brain sick', 'not worthy', 'misleading the young'
        r"脑子有病|也配搞|也配谈|误人子弟|丢人现眼",
    ),
    offer=(
        r"我可以[^。！？]{0,12}(?:发给|發給|分享|介绍|介紹|帮|幫|联系|聯繫)",
        r"(?:如果|若)(?:你|您)?需要的话",
        r"可以(?:私信|联系|聯繫)我",
        r"可以发给你",
        r"私信我",
        r"我可以帮",
        r"欢迎联系我",
        r"可以发给你|私信我",
        # round 8: 'send it to me', 'let's set up a call'
        r"发给我|發給我",
        r"约个电话|約個電話",
    ),
    critique=(
        r"前提(?:有问题|有問題|是错|是錯)",
        r"我不同意",
        r"不太同意",
        r"问题不在于",
        r"伪命题",
        r"没有意义",
        r"前提有问题",
        r"说实话|不现实|问题不在于",
        # round 9: 'of little meaning'
        r"意义不大|没什么意义|站不住脚",
    ),
    resource_nouns=(r"论文|报告|数据集|专著|年度报告",),
    senior_bio=(
        r"助产士|流行病学",
        r"专家|鉴定人|统计学家|顾问|分析师",
        r"农民|农场主|果农|养殖户",
        # round 8: clinical, language and fishing trades
        r"护士|医生|药剂师|翻译|渔民",
    ),
    experience=(
        r"我们(?:用|在|的|发现|测|做)",
        r"我(?:们)?的经验|我们(?:试过|做过|测过)",
    ),
    them_contact=(),
    contact_before_handle=(),
    contact_before_name=(),
    contact_single=(),
    recommends=(r"联系|请教",),
    contact_org=(),
    not_contact=(r"(?:别|不要|千万别)(?:去)?(?:问|找|联系)",),
    social=(
        r"加油",
        r"期待",
        r"太棒了",
        r"好主意",
        r"哈哈",
        r"支持一下",
        r"有意思",
    ),
    question_any=(
        # round 7: Chinese question particles and words (吗, 呢, 什么, 怎么, 多少, 有没有)
        r"吗|呢|什么|怎么|为什么|哪|谁|多少|是否|有没有|会不会|能不能|是不是",
    ),
)
