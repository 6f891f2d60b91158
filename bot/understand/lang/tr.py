"""Turkish cue phrases: regex alternatives, each searched in lower-cased text (pure data).

Turkish puts the name before the verb and marks it with a suffix after an apostrophe ("Ayşe Hoca'ya sor",
"Emre Bey'e yazın", "Dr. Elif Kaya ile görüşün"): the referral shapes read that order."""

from bot.understand.lang.base import Cues

CUES = Cues(
    code="tr",
    stop_words=frozenset(
        "ve bir bu da için ile çok ama ben sen mi ne gibi daha var yok olarak bence şey evet hayır değil "
        "olan biz siz onlar".split()
    ),
    question_words=("neden", "niye", "nasıl", "kim", "hangi", "nerede", "kaç"),
    injection=(r"\bönceki talimatları (?:yok say|görmezden gel|unut)",),
    spam=(
        r"\btakipçi\b[^.!?]{0,30}\b(?:satın|indirim|ucuz|kazan)",
        r"\bsadece \d+ ?(?:tl|₺)",
        r"\b(?:listesi|listeleri|e-?postası|e-?postaları|verisi|verileri) (?:satıyoruz|satılık)\b",
        r"\b(?:gerçek|aktif|organik) (?:türk )?takipçi\b(?! sayı)|\b\d+ ?k (?:gerçek |aktif )?takipçi\b",
        r"\bgünlük \d[\d.]*\s?(?:tl|\$|dolar) kazan",
    ),
    abuse=(
        r"\b(?:rezil|utanmaz|beyinsiz)\b",
        r"\b(?:aptal|salak|gerizekalı|geri zekalı|ahmak|şerefsiz|siktir|yavşak|dangalak)\w*",
        r"\bzavallı\b",
        r"\bsanan (?:akademisyen|profesör|girişimci|hoca)\b",
        r"\butanmaz\b",
        r"\bokula (?:geri )?dön\b",
        r"\bhiçbir şey bilmiyorsun\b",
        r"\b(?:sahtekar|hırsız|cahil)(?:sın|sınız)\b",
        r"\brezalet\b|\bsus artık\b",
        r"\b(?:senin|sizin) gibi(?:ler)? (?:\w+ ){0,2}yüzünden\b",
        r"\butanmıyor mu(?:sun|sunuz)?\b|\butanmıyorsun(?:uz)?\b|\bgit adam gibi\b",
        r"\b(?:bağış|para|proje|hibe) dilenci\w*",
        # round 7: "you are a vulture / parasite"
        r"\b(?:akbaba|asalak|parazit)(?:sın|sin|sınız|siniz)\b",
        # round 8: 'you are a fraudster', 'shameless'
        r"\bdolandırıcısın(?:ız)?\b",
        r"\butanmaz(?:lar|sınız|sın)?\b",
        # round 9: 'beggar'
        r"\bdilenci\b",
    ),
    offer=(
        r"\bi\u0307?sterse(?:n|niz)\b[^.?!]{0,60}(?:abilirim|ebilirim|abiliriz|ebiliriz)\b",
        r"\b(?:yardım|destek) (?:edebilirim|olabilirim|veririm)\b",
        r"\bbana yazman(?:ız)? yeterli\b",
        r"\b(?:yardımcı olabilirim|gönderebilirim|tanıştırabilirim|paylaşabilirim|iletebilirim|"
        r"bağlantı kurabilirim)\b",
        r"\b(?:dm|mesaj) (?:atın|at|atabilirsin|atabilirsiniz)\b",
        r"\bbana (?:yazın|yaz|ulaşın|ulaş|yazabilirsin|yazabilirsiniz)\b",
        r"\bseve seve\b",
        r"\bmemnuniyetle\b",
        r"\bkonuşabiliriz\b",
        r"\b(?:olmaya |yardım etmeye |katılmaya )açığım\b",
        r"\b(?:yardımcı olabilirim|gönderebilirim|paylaşabilirim|tanıştırabilirim)\b",
        r"\bkonuşalım\b",
        r"\bmail atın\b|\byazabilirsiniz\b|\bpaylaşırım\b|\bbekleriz\b|\bbarındırabiliriz\b",
        # round 6: first-person ability and aorist ('katılabilirim', 'getiririm'), '-maya hazırım', 'DM'den yazın'
        r"\b(?:katıl|gönder|anlat|göster|getir|tanıt|öğret|destek ol|yardımcı ol|test ed|organize ed|eşlik ed)(?:abilirim|ebilirim|abiliriz|ebiliriz)\b",
        r"\b(?:gelebilirim|gelebiliriz|deneyebilirim|ayarlayabilirim|bağlayabilirim|ağırlayabiliriz|katilabilirim|yardimci olabilirim)\b",
        r"\b(?:katılırım|katılırız|getiririm|gönderirim|anlatırım|gösteririm|duyururum|yardım ederim|yardımcı olurum|destek olurum|destek veririm|tanıştırırım|ağırlarız)\b",
        r"m(?<=\wm)[ae]y[ae] hazır(?:ım|ız)?\b(?! (?:değil|mı|mi))|\b(?:yardıma|desteğe|iş ?birliğine) hazır(?:ım|ız)\b",
        r"\b(?:dm|özel|mesaj|e-?posta|mail)(?:['’]?(?:den|dan|ten|tan))? (?:yazın|yaz|yazabilirsiniz|ulaşın|ulaşabilirsiniz)\b|\bözelden (?:yazın|yaz|ulaşın)\b",
        r"\b(?:yazman|yazmanız|ulaşmanız|haber vermeniz|mesaj atmanız) yeterli\b",
        r"\bgönüllüyüm\b|\bgönüllü olurum\b|\b(?:beni|bizi) de (?:sayın|ekleyin|dahil edin)\b",
        r"\b(?:görüşelim|görüşebiliriz|bir kahve içelim)\b",
        # round 8: 'I'd be glad to talk'
        r"\bmemnuniyet(?:le)? duyarım\b|\bmemnuniyetle (?:konuşurum|yardımcı olurum|anlatırım)\b",
        # round 9: 'we are very open to', 'we'd be glad if you wrote'
        r"\b(?:ortaklığına|ortaklığa|işbirliğine|iş birliğine|görüşmeye) (?:çok )?açığız\b",
        r"\byazarsanız seviniriz\b|\byazarsan sevinirim\b",
    ),
    critique=(
        r"\bitirazım\b",
        r"\bkarşı çıkacağım\b",
        r"\bçok geç\b",
        r"\bo kadar basit değil\b",
        r"\bkatılmıyorum\b",
        r"\bpek emin değilim\b",
        r"\b(?:öncül|varsayım)\w* (?:\w+ )?(?:yanlış|hatalı|sorunlu)",
        r"\byanlış soru\b",
        r"\bşüpheliyim\b",
        r"\baslında öyle değil\b",
        r"\byanlış (?:soru|ölçüt)\b",
        r"\bkatılmıyorum\b|\bkötü (?:bir )?fikir\b|\bgerçekçi değil\b|\bbence fazla\b",
        # round 6: 'açıkçası' opener, 'X yerine Y daha mantıklı', 'abartılıyor', 'harika ama'
        r"^\s*(?:açıkçası|acikcasi)\b",
        r"\byanlış bir (?:başlangıç|yaklaşım|yol|tercih|öncelik)\b|\b(?:baştan|tamamen|kökten) (?:hatalı|yanlış)\b",
        r"m(?<=\wm)[ae]k yerine [^.?!]{0,80}\bdaha (?:mantıklı|doğru|akıllıca) (?:olabilir|olur)\b",
        r"\b(?:diye|öyle) bir şey yok\b",
        r"\babartıl(?:ıyor|mış|dı|ı)\b",
        r"\b(?:fazla|çok|aşırı) (?:karmaşık|iddialı|iyimser|hırslı)\b",
        r"\bbence (?:bu )?(?:yanlış|hatalı|eksik|sorunlu|abartı)\b",
        r"\b(?:sanmıyorum|zannetmiyorum|pek sanmam)\b|\bmantıklı değil\b",
        r"\b(?:harika|güzel|hoş|güzel fikir) (?:ama|fakat|ancak)\b",
        r"\bmantıklı gel(?:miyor|medi)\b|\bbence gerek yok\b|\bişe yaramaz\b(?! değil)",
        # round 7: 'bence sorun X değil' (I think the problem is not X), 'eksik kalır'
        r"\b(?:bence|çünkü|asıl) sorun (?:\S+ )?değil\b|\beksik kal(?:ır|acak)\b",
        # round 8: 'sorry, but'
        r"\bkusura bakma(?:yın)? ama\b",
        # round 9: 'not very meaningful', 'let me be frank'
        r"\b(?:pek |çok )?anlamlı değil\b",
        r"\baçık konuşayım\b",
    ),
    resource_nouns=(
        r"\b(?:kitap|kitabı|makale|makalesi|rapor|raporu|rehber|arşiv|arşivi|veritabanı)\b",
        r"\b(?:sayfa(?:sı|ları|larına|sına)?|katalo(?:g|ğu)|liste(?:si|leri|sine)|portal(?:ı|ına)?)\b",
        # round 6: inflected forms, channels, videos, courses, websites
        r"\b(?:rapor|makale|kitap|kitab|rehber|kılavuz|bülten|podcast)\w*",
        r"\b(?:kanal(?:ı|ında|ındaki)?|video(?:su|ları|larını)?|kurs(?:u|unu|ları)?|eğitim(?:i|leri|ini)|web sitesi\w*|sitesi(?:nde|ndeki)?|yayın(?:ı|ları|larını)|tez(?:i|ini)|veri set\w*|el kitabı\w*|blog\w*)\b",
        r"\bgöz at\w*",
        # round 7: guidelines ('yönergeleri')
        r"\byönerge\w*",
        # round 8: writings
        r"\byazı(?:ları|larını|sı|sını)\b",
    ),
    senior_bio=(
        r"\b(?:epidemiyolog|ebe)\b",
        r"\b(?:uzman(?:ı)?|bilirkişi|danışman|istatistikçi|analist)\b",
        r"\b(?:çiftçi|üretici|yetiştirici|besici|sığırcılı\w*)\b",
        # round 8: clinical, language and fishing trades
        r"\b(?:hemşire(?:si)?|doktor|hekim|eczacı|tercüman|çevirmen|balıkçı)\b",
    ),
    experience=(
        r"\b(?:biz de|bizde) (?:denedik|kullandık|yaptık)\b",
        r"\b(?:kullanıyoruz|kullandık|ölçtük|denedik)\b",
        r"\bbiz (?:\S+ )?(?:\S+ )?\S+(?:dık|dik|duk|dük|tık|tik|tuk|tük)\b|\bbizde\b",
        # round 6: 'in our village/team'
        r"\bbizim (?:köyde|köyümüzde|ekipte|ekibimizde|şirkette|okulda|kooperatifte|laboratuvarda)\b",
    ),
    them_contact=(
        r"\b(?:onlara|kendilerine) (?:yazın|yaz|sorun|sor|ulaşın)\b",
        # round 6: more verbs after 'onlara', 'onlarla'
        r"\b(?:onlara|kendilerine) (?:mail atın|e-posta atın|mesaj atın|ulaşabilirsiniz|yazabilirsiniz)\b",
        r"\b(?:onlarla|kendileriyle) (?:görüşün|konuşun|iletişime geçin)\b",
        # round 7: "write to them" after an organisation named as the subject
        r"\bonlara (?:yazmak|yazmanız|ulaşmak)\b",
    ),
    contact_before_handle=(),
    contact_before_name=(),
    contact_single=(),
    recommends=(r"\b(?:sor|yaz|danış|ulaş|görüş|konuş|iletişime|uzman)",),
    contact_org=(),
    social=(
        r"\b(?:harika|başarılar|çok iyi|süper)\b",
        r"^\s*(?:teşekkürler|teşekkür ederim|sağ ?ol)\b",
        r"\bteşekkürler\b",
        r"\bkatılıyorum\b",
        r"\btakipteyim\b",
        r"\bkesinlikle\b",
        r"\bkolay gelsin\b",
        r"\bmerakla bekliyorum\b",
        r"\bharika (?:bir )?fikir\b",
        r"\beğlenceli görünüyor\b",
        # round 6: praise, agreement, laughter
        r"\b(?:eline sağlık|ellerine sağlık|tebrikler|tebrik ederim|bravo|aynen|çok doğru|haklısınız|haklısın|helal olsun|sağ olun|sağolun)\b",
        r"\b(?:haha\w*|ahah\w*)|\bben de merak ediyorum\b|\btakip ediyorum\b",
    ),
    question_any=(
        r"\b(?:yoksa|veya|ya da)\b",
        r"\b(?:mi|mı|mu|mü|misin|mısın|musun|müsün|miyiz|mıyız|neden|niye|nasıl|hangi|kaç)\b",
        # round 6: 'ne kadar ...?', 'ne zaman ...?', plural question particles
        r"\b(?:ne|neler|nedir|nereden|nereye|kime|kimi|kimler|hangisi|mısınız|misiniz|musunuz|müsünüz)\b",
    ),
    referral_shapes=(
        r"(?P<name>{NAME})(?: (?:Hoca|Hocam|Bey|Hanım))?['’](?:y?[ae]|n[ae])\s+(?:\w+\s+){0,2}?"
        r"(?i:sor|yaz|danış|ulaş|başvur|mail at|e-posta at|mesaj at)",
        r"(?P<name>{NAME})(?: (?:Hoca|Hocam|Bey|Hanım))?(?: ile|['’](?:y?la|y?le))\s+(?:\w+\s+){0,2}?"
        r"(?i:görüş|konuş|iletişime geç|irtibata geç)",
    ),
    not_name=frozenset("hoca hocam bey hanım dr prof".split()),
    org_words=frozenset(
        "derneği vakfı enstitüsü merkezi bakanlığı laboratuvarı kurumu birliği odası üniversitesi "
        "müdürlüğü ekibi".split()
    ),
    not_contact_after=(
        r"^(?: (?:Hoca|Hocam|Bey|Hanım))?(?:['’]\w{1,4}| ile)\s+(?:\w+\s+)?(?:sor|yaz|danış|ulaş|başvur|görüş|konuş)m[ae](?:y[ıi]n(?:[ıi]z)?|yın)?\b",
    ),
    contact_pronoun=(
        r"\b(?:ona|kendisine) (?:yazın|yaz|sorun|sor|ulaşın|ulaş|mail atın)\b",
        r"\b(?:onunla) (?:görüşün|konuşun|iletişime geçin)\b",
    ),
)
