"""Vietnamese cue phrases: regex alternatives, each searched in lower-cased text (pure data).

Names are capitalised words with diacritics after a contact verb and a kinship or title word ("liên hệ chị
Nguyễn Thị Lan", "hỏi thầy Minh", "nhắn tin cho TS. Trần Văn Bình")."""

from bot.understand.lang.base import Cues

CUES = Cues(
    code="vi",
    stop_words=frozenset(
        "và là của có không những được cho với các này một người trong thì mình bạn tôi rất cũng đã nhưng "
        "nếu khi để".split()
    ),
    question_words=("ai", "sao", "tại sao", "như thế nào", "bao nhiêu", "khi nào", "ở đâu"),
    injection=(
        r"\bbỏ qua (?:mọi|tất cả|toàn bộ|các) (?:hướng dẫn|chỉ dẫn|chỉ thị|lệnh|quy tắc)\b",
        r"\bđánh dấu (?:@\S+|câu trả lời này|bình luận này|phản hồi này) là\b",
    ),
    spam=(
        r"người theo dõi thật|tăng (?:[\d.,]+ )?(?:người theo dõi|follow|like)|inbox ngay|ưu đãi (?:đặc biệt|khủng|có hạn|hôm nay|cực sốc)|chỉ (?:còn )?\d+k\b",
        r"\bkiếm \d[\d.,]*\s?(?:triệu|k)\b",
        # round 9: 'receive now N (money)'
        r"\bnhận ngay \d",
    ),
    abuse=(
        r"\b(?:mất dạy|khốn nạn|đồ rác)\b",
        r"\b(?:đồ ngu|ngu ngốc|ngu như|óc chó|vô học|câm mồm|cút đi|thằng ngu|con ngu)\b",
        r"\bđồ (?:ngu|lừa đảo|ăn cắp|vô học)\b",
        r"\bquay (?:lại|về) trường\b",
        r"\b(?:mày|bạn|anh|chị) (?:chẳng|không) biết gì\b",
        r"\bvô liêm sỉ\b",
        r"\bcâu ngu\b|\bnghỉ đi cho rồi\b",
        # round 7: "you parasite / vulture"
        r"\bđồ (?:ăn bám|kền kền|ký sinh)\b",
    ),
    offer=(
        r"\bcần (?:thì|gì thì)\b[^.?!]{0,30}\b(?:mình|tôi|em)\b",
        r"\b(?:mình|tôi|em) (?:giúp|hỗ trợ) được\b",
        r"\b(?:mình|tôi|em|anh|chị) (?:có thể|sẵn sàng|rất sẵn lòng|sẵn lòng|xin|sẽ) (?:\w+ ){0,2}?(?:gửi|chia sẻ|"
        r"giới thiệu|giúp|hỗ trợ|kết nối|trao đổi)",
        r"\b(?:inbox|nhắn tin cho|nhắn cho|ib|dm) (?:mình|tôi|em)\b",
        r"\bcứ (?:inbox|nhắn|ib|dm)\b",
        r"\bsẵn lòng\b",
        r"\bmình (?:gửi|chia sẻ|giới thiệu)\b.{0,30}\b(?:nhé|nha)\b",
        r"\bnếu (?:anh|chị|bạn|em) cần\b",
        r"\b(?:mình|tôi|em) có thể (?:gửi|giúp|chia sẻ|giới thiệu)\b",
        r"\bmình có thể gửi\b|\bnhắn (?:mình|em|tôi)\b",
        # round 6: 'mình muốn tham gia', 'em rất muốn ứng tuyển', 'inbox nhé'
        r"\b(?:mình|tôi|em|bọn mình|chúng tôi|bên mình|nhà mình) (?:rất |cũng |sẵn sàng |xin )?(?:muốn|mong được|xin được|sẵn sàng|đăng ký) (?:được )?(?:tham gia|ứng tuyển|hợp tác|đóng góp|thử nghiệm|làm thử|hỗ trợ)\b",
        r"\b(?:inbox|ib|nhắn tin|nhắn) (?:riêng |ngay cho )?(?:nhé|nha|nhe|cho mình|cho em|mình|em)\b",
        r"\bcứ liên hệ\b|\bliên hệ (?:mình|em|tôi)\b|\bnhắn riêng\b",
        r"\bcó gì cứ (?:hỏi|nhắn|inbox|ib)\b|\bcứ hỏi (?:mình|em) (?:nhé|nha)\b",
        # round 8: 'ready to be interviewed / share'
        r"\bsẵn sàng (?:phỏng vấn|trao đổi|chia sẻ|giúp|hỗ trợ)\b",
    ),
    critique=(
        r"\bnhưng (?:thực ra|thật ra)\b",
        r"\bkhông thực tế\b",
        r"\bquá muộn\b",
        r"\bkhông (?:hoàn toàn )?đồng ý\b",
        r"\btiền đề\b.{0,20}\b(?:sai|có vấn đề)",
        r"\bvấn đề không (?:phải|nằm)",
        r"\bcâu hỏi (?:này )?(?:chưa|không) (?:đúng|chuẩn)",
        r"\b(?:mình|tôi|em) (?:hơi )?nghi ngờ\b",
        r"\b(?:tôi|mình) không đồng ý\b",
        r"\bcâu hỏi (?:này )?(?:chưa|không) đúng\b",
        r"\bkhông thay (?:được|thế được)\b|\bquá ngắn\b|\bnên tính lại\b",
        # round 6: 'thật lòng mà nói' opener, 'không ổn', 'đừng mất thời gian'
        r"^\s*(?:thật lòng|thực lòng|nói thật|thẳng thắn|thành thật)(?: mà nói)?\b",
        r"\b(?:không|chưa|hơi) (?:ổn|hợp lý|hợp lí|khả thi)\b(?! định)",
        r"\bđừng (?:mất|phí) thời gian\b|\b(?:mất|phí|tốn) thời gian vô ích\b|\bphí công\b",
        r"\bsai lầm\b|\bsai hướng\b|\bngây thơ\b|\bảo tưởng\b|\bviển vông\b",
        r"\bchưa chắc (?:đã|là)\b",
        r"\bkhông cần thiết\b|\bkhông đáng\b",
        # round 7: 'không hẳn đúng' (not quite right), 'xa vời' (far-fetched)
        r"\bkhông hẳn (?:đúng|là|vậy)\b|\bxa vời\b",
        # round 8: 'frankly', 'it is a bit early', 'I think one shouldn't'
        r"\bnói thẳng\b",
        r"\bthì hơi sớm\b",
        r"\bnghĩ không nên\b",
        # round 9: 'will be skewed'
        r"\bsẽ (?:bị )?lệch\b",
    ),
    resource_nouns=(
        r"\b(?:sách|bài báo|báo cáo|tài liệu|hướng dẫn|kho lưu trữ|cơ sở dữ liệu)\b",
        # round 6: courses, review articles, websites, datasets
        r"\b(?:khóa học|khoá học|khóa online|khoá online|bài tổng quan|bài viết|bài giảng|giáo trình|trang web|website|kênh|video|podcast|luận án|luận văn|bộ dữ liệu|tập dữ liệu|sổ tay|từ điển|bản tin)\b",
        r"\btham khảo\b",
    ),
    senior_bio=(
        r"\b(?:nữ hộ sinh|bác sĩ)\b",
        r"\b(?:chuyên gia|giám định viên|nhà thống kê|tư vấn|chuyên viên phân tích)\b",
        r"\b(?:nông dân|trang trại|nhà vườn)\b",
        # round 8: clinical, language and fishing trades
        r"\b(?:điều dưỡng|y tá|dược sĩ|phiên dịch|ngư dân)\b",
    ),
    experience=(
        r"\b(?:bên mình|chúng tôi|nhóm mình) (?:đã|từng) (?:làm|thử|dùng)\b",
        r"\b(?:bọn|chúng) (?:mình|tôi|em)\b",
        # round 6: 'at our place we have ...'
        r"\b(?:bên mình|công ty mình|trang trại mình|nhóm mình|chỗ mình) (?:đang|đã|từng|cũng)\b",
        # round 8: 'our farm / our ward / our workshop' opening a report
        r"\b(?:trại|khoa|xưởng|làng|xã) (?:mình|em|tôi|chúng tôi)\b",
    ),
    them_contact=(
        r"\b(?:liên hệ|hỏi|nhắn tin cho|email cho) (?:họ|bên đó)\b",
        # round 6: 'nhắn cho họ', 'liên hệ trực tiếp với bên đó'
        r"\b(?:liên hệ|liên lạc|nhắn tin|nhắn|gửi email|gửi mail) (?:trực tiếp )?(?:với |cho )?(?:họ|bên đó|bên ấy)\b",
        # round 7: "write to them" after an organisation named as the subject
        r"\b(?:email|gửi email cho|gửi mail cho) (?:họ|khoa đó|bên đó)\b",
    ),
    contact_before_handle=(r"\bliên hệ(?: với)?", r"\bhỏi(?: thử)?", r"\bnhắn(?: tin)?(?: cho)?"),
    contact_before_name=(
        r"\bliên hệ(?: với)?",
        r"\bliên lạc(?: với)?",
        r"\bhỏi(?: thử)?",
        r"\bnhắn(?: tin)?(?: cho)?",
        r"\bemail cho",
        r"\bnói chuyện với",
        r"\btrao đổi với",
    ),
    contact_single=(),
    recommends=(r"\b(?:liên hệ|liên lạc|hỏi|nhắn|trao đổi|chuyên gia)",),
    contact_org=(r"\bliên hệ(?: với)?", r"\bhỏi", r"\bnhắn tin cho"),
    social=(
        r"\b(?:tuyệt vời|đồng ý|chúc may mắn)\b",
        r"^\s*(?:cảm ơn|cám ơn)\b",
        r"\b(?:cảm ơn|cám ơn)\b",
        r"\bhay quá\b",
        r"\bhóng\b",
        r"\bnghe vui\b",
        r"\bý tưởng hay\b",
        r"\bhóng kết quả\b",
        r"\bchúc thành công\b",
        # round 6: praise, laughter, support
        r"\b(?:hay ghê|hay thật|đỉnh quá|quá đỉnh|chuẩn luôn|đúng vậy|chính xác|haha\w*|hihi|kkk+|chúc mừng|thú vị quá|tuyệt quá)\b",
        r"^\s*ủng hộ\b|\bủng hộ (?:bạn|anh|chị|em|ý tưởng|dự án)\b|\bđang theo dõi (?:thread|chủ đề|bài)\b",
        r":\)\)|=\)\)",
    ),
    question_any=(
        r"\b(?:hay|hoặc)\b",
        r"\b(?:không|chưa|gì|sao|nào|đâu|nhiêu|hả|nhỉ)\s*\?\s*$",
        # round 6: question particles anywhere in a '?' sentence ('... không bạn?', '... vậy ạ?')
        r"\b(?:bao nhiêu|mấy|gì|nào|đâu|sao|thế nào|ra sao|có phải|phải không|được không|không|chưa|vậy|hả|nhỉ|ạ|bao giờ|bao nhieu|khong|chua)\b",
    ),
    referral_shapes=(
        # an organisation by its head noun: "liên hệ Hợp tác xã Thủy sản X", "hỏi Viện Y", "nhắn cho Công ty Z"
        r"(?i:\b(?:liên hệ|liên lạc|hỏi(?: thử)?|nhắn(?: tin)?(?: cho)?|email cho|nói chuyện với|trao đổi với)"
        r"(?: với)?\s+)(?P<name>(?:Hợp tác xã|Công ty|Viện|Trung tâm|Hội|Quỹ|Sở|Bộ|Trường|Bệnh viện|Tổ chức|Ban|"
        r"Phòng|Liên hiệp|Cục|Chi cục)(?: [A-ZÀ-ÝĂĐƠƯẠ-Ỹ][a-zà-ýăđĩũơưạ-ỹ]{0,7}(?: [a-zà-ýăđĩũơưạ-ỹ]{1,7})?){1,5})",
        r"""(?i:\b(?:liên hệ|liên lạc|hỏi(?: thử)?|nhắn(?: tin)?(?: cho)?|email cho)(?: với)?\s+(?:nhóm|tổ chức|quỹ|viện|"""
        r"""trung tâm|công ty|hội|cộng đồng|dự án)\s+)['"“‘](?P<name>[^'"”’\n]{2,40})['"”’]""",
        r"(?i:\b(?:liên hệ|liên lạc|hỏi(?: thử)?|nhắn(?: tin)?(?: cho)?|email cho|nói chuyện với|trao đổi với)"
        r"(?: với)?\s+(?:(?:anh|chị|cô|thầy|bác|ông|bà|bạn|em|ts\.?|pgs\.?|gs\.?|ths\.?|bs\.?|tiến sĩ|giáo sư|"
        r"bác sĩ)\s+)?)(?P<name>{NAME})",
        # round 7: a kinship word and a name opening the reply or a sentence, then "nhắn anh ấy" / "gặp bác ấy":
        # "Chị Nguyễn Thị Lan ở Viện X làm ... Anh liên hệ chị ấy nhé"
        r"(?:^|[.!?]\s+|^@\S+\s+)(?:Anh|Chị|Cô|Thầy|Bác|Ông|Bà|anh|chị|cô|thầy|bác|ông|bà) (?P<name>{NAME})"
        r"(?=(?:,| (?:ở|bên|tại|của|làm|là|đang)\b)[^\n]{0,250}?\b(?:nhắn|liên hệ|gặp|hỏi|gọi|email)[^.!?\n]{0,20}?"
        r"\b(?:(?:anh|chị|cô|thầy|bác|ông|bà) ấy|ảnh|chỉ)\b)",
    ),
    not_name=frozenset(
        "anh chị cô thầy bác ông bà bạn em ts pgs gs ths bs ở của và tại với cho để xem nhé nha đi ạ luôn ấy họ "
        "thử đó này ảnh chỉ".split()
    ),
    org_words=frozenset(
        "viện trung hội bộ sở quỹ phòng nhóm công trường đại bệnh hợp tổ cục ban liên".split()
    ),
    not_contact=(
        r"\b(?:đừng|không nên|chớ) (?:có )?(?:hỏi|liên hệ|liên lạc|nhắn(?: tin)?(?: cho)?|email cho|nói chuyện với)",
    ),
)
