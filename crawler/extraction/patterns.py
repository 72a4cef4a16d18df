"""Boilerplate vocabulary in Arabic, English, French (and a little German): labels and class names.

Matched on normalised text (``normalize``): case-folded, Arabic alef/ya/ta-marbuta forms unified,
tatweel and diacritics dropped, so "إقرأ أيضاً" and "اقرا ايضا" are the same label.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from crawler.dates.vocabulary import month_names, weekday_names

_AR_FOLD = {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ـ": None, "’": "'"}
_MARKS = [*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)]  # Arabic diacritics and Quranic marks


def _latin_bases() -> dict[int, str]:
    table = {}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))[0]
        if base.isascii() and base != chr(code):
            table[code] = base
    return table


# One pass over a non-ASCII text: Arabic letter forms unified, tatweel and diacritics dropped, Latin accents
# stripped ("également" -> "egalement", "könnte" -> "konnte"); other scripts untouched.
_FOLD_TABLE = {**str.maketrans(_AR_FOLD), **_latin_bases(), **dict.fromkeys(_MARKS)}


@lru_cache(maxsize=4096)  # a page's lines are normalised by several rules; cleared per page (extraction/__init__)
def normalize(text: str) -> str:
    """Comparison form for label matching."""
    text = unicodedata.normalize("NFKC", text).casefold()
    if not text.isascii():
        text = text.translate(_FOLD_TABLE)
    return " ".join(text.split())


# "Read also" style labels that introduce a link to another article.
READ_ALSO = (
    r"اقرا (?:ايضا|كذلك|المزيد)|قد (?:يعجبك|يهمك) (?:ايضا|كذلك)|طالع (?:ايضا|كذلك)|شاهد (?:ايضا|كذلك)|اقرا|"
    r"(?:مواضيع|مقالات|اخبار) (?:ذات صله|متعلقه|مشابهه)|ذات صله|قد يهمك|قد يعجبك|"
    r"read (?:also|more|next)|also read|see also|related(?: articles?| posts?| stories| reading| content)?|"
    r"recommended(?: reading)?|you (?:may|might) also (?:like|enjoy)|more on this|more from|also on|"
    r"a lire (?:aussi|egalement)|lire (?:aussi|egalement|la suite)|voir aussi|"
    r"sur le meme sujet|a voir aussi|"
    r"lesen sie auch|mehr zum thema|auch interessant|weiterlesen|auch lesen|lesen sie mehr|mehr themen|"
    r"(?:das|dies) (?:thema )?konnte (?:sie|dich) auch interessieren|empfohlene beitrage|weitere artikel|"
    r"lea (?:tambien|ademas|mas)|lea|vea (?:tambien|ademas)|mira (?:tambien|ademas)|lee (?:tambien|ademas|mas)|"
    r"(?:le|te) puede interesar|puede interesarte|noticias relacionadas|articulos relacionados|"
    r"leia (?:tambem|mais)|veja (?:tambem|mais)|leggi anche|potrebbe interessarti|"
    r"czytaj (?:tez|takze|rowniez)|zobacz (?:tez|takze|rowniez)|don't miss|more stories|more news|see more|mas sobre"
)
READ_ALSO_PREFIX = re.compile(rf"^(?:{READ_ALSO})\s*(?:[:：\-–—»>|]|$)")

# Whole lines that are interface labels, never article text.
LABEL_LINES = frozenset(
    normalize(s)
    for s in (
        "Skip to content", "Skip to main content", "Skip to navigation", "تخطى إلى المحتوى",
        "تجاوز إلى المحتوى", "انتقل إلى المحتوى", "Aller au contenu", "Aller au contenu principal",
        "Main content", "Contenu principal", "المحتوى الرئيسي", "Jump to content", "Jump to navigation",
        "Zum Inhalt springen", "Direkt zum Inhalt", "Hauptinhalt", "Saltar al contenido",
        "Share this:", "Share this", "Share", "Share this article", "Share on Facebook", "Share on Twitter",
        "شارك هذه المقالة:", "شارك هذه المقالة", "شارك المقال", "شارك", "مشاركة", "Partager :", "Partager",
        "Partager cet article", "Tweet", "Print", "Print this page", "Print article", "طباعة", "Imprimer",
        "Imprimer l'article", "Drucken", "Seite drucken", "Email", "Facebook", "Twitter",
        "WhatsApp", "LinkedIn", "Telegram", "Google News", "Menu", "القائمة", "Search", "بحث", "Rechercher",
        "Advertisement", "إعلان", "Publicité", "Related", "Related posts", "Related coverage", "Related content",
        "Related topics", "Articles liés", "Verwandte Themen", "مقالات ذات صلة",
        "Tags", "Tags:", "Tagged:", "الوسوم:", "الوسوم", "Étiquettes :", "Mots-clés :", "Leave a Reply",
        "Schlagwörter", "Schlagworte", "Stichwörter", "Temas", "Etiquetas",
        "Leave a comment", "اترك تعليقاً", "اترك تعليقا", "Laisser un commentaire", "Reply", "رد",
        "Répondre", "Previous article", "Next article", "المقال السابق", "المقال التالي",
        "Article précédent", "Article suivant", "Previous post", "Next post", "Loading...",
        "You might also like", "You may also like", "Vous aimerez aussi",
        "Comments", "Comment", "تعليقات", "التعليقات", "Commentaires", "Kommentare", "Comentarios",
        "Leserkommentare", "Lesermeinungen", "Reader comments", "Commentaires des lecteurs", "تعليقات القراء",
        "Have your say", "More",
        "Table of contents", "Contents", "Inhaltsverzeichnis", "Inhalt", "Sommaire", "Índice", "فهرس المحتويات",
        "المحتويات",
        "حجم الخط", "تكبير الخط", "تصغير الخط", "Font size", "Text size", "Taille du texte", "Taille de police",
        "أضف تعليق", "أضف تعليقاً", "أضف تعليقك", "اترك تعليقاً", "اكتب تعليقك", "سجل الدخول للتعليق",
        "اضغط هنا للاشتراك", "صورة أرشيفية", "صورة تعبيرية", "صورة من الأرشيف",
        "Add comment", "Add a comment", "Post a comment", "Ajouter un commentaire",
        "أرسل لصديق", "إرسال لصديق", "Send to a friend", "Email this", "Envoyer à un ami",
        "نسخ الرابط", "Copy link", "Copier le lien", "Print this article", "Imprimer cet article",
        "Listen to this article", "Écouter cet article", "استمع إلى المقال", "استمع للمقال",
        "الكلمات المفتاحية", "كلمات مفتاحية", "الكلمات الدلالية", "كلمات دلالية", "وسوم", "Keywords", "Mots clés",
    )
)

# The first link of a breadcrumb trail ("Home › World › News").
HOME_LABELS = frozenset(normalize(s) for s in (
    "Home", "Homepage", "Home page", "Startseite", "Accueil", "Inicio", "Portada", "الرئيسية", "الصفحة الرئيسية"))
# Headings of a related / popular box: once one stands alone in the second half of a body, the article is over.
RELATED_HEADINGS = frozenset(
    normalize(s)
    for s in (
        "Top stories", "Partner news", "Most read", "Most popular", "Latest news", "More stories", "Popular posts",
        "Recent posts", "Trending", "Trending now", "More news", "Related news", "Don't miss", "Editor's picks",
        "الأكثر قراءة", "الأكثر مشاهدة", "آخر الأخبار", "أخبار ذات صلة", "مقالات ذات صلة", "مواضيع ذات صلة", "اقرأ أيضا",
        "Les plus lus", "À lire aussi", "Sur le même sujet", "Dernières actualités",
        "Meistgelesen", "Weitere Artikel", "Das könnte Sie auch interessieren", "Mehr zum Thema",
        "Noticias relacionadas", "Lo más leído", "Te puede interesar",
        "You may also like", "You might also like", "Recommended for you", "Read next", "What to read next",
        "Vous aimerez aussi", "À lire également", "Sur le même thème", "Das könnte dich auch interessieren",
        "Auch interessant", "مواضيع قد تهمك", "قد يهمك أيضاً", "قد يعجبك أيضاً", "أخبار متعلقة", "مقالات مشابهة",
    )
)

# "More Great WIRED Stories", "Latest news stories", "Related articles": a short related-box heading.
# "More stories", "Top news from Reuters", "More Must-Reads From TIME": the list's noun, then at most its source.
# The same in the other served languages: "Weitere aktuelle Themen aus der Arbeitswelt", "Mehr zum Thema auf
# X" (a German noun may close a compound: "Sportnachrichten"), "D'autres articles sur Paris", "Otras noticias
# de X", "المزيد من الأخبار", "مقالات أخرى". Nouns of lists of stories only: never "tips", "information".
RELATED_HEADING = re.compile(
    r"^(?:(?:more|related|recommended|popular|latest|top|other)\b(?:\s+\S+){0,3}[\s-]+"
    r"(?:stories|articles|posts|news|reads|videos)(?:\s+from(?:\s+\S+){1,3})?"
    r"|(?:entdecke |entdecken sie )?(?:weitere|mehr|andere|ahnliche|aktuelle|neueste|beliebte)(?:\s+\S+){0,3}\s+"
    r"\S*(?:artikel|beitrage|themen|nachrichten|news|meldungen|storys|stories|berichte|videos)"
    r"(?:\s+(?:aus|von|vom|auf|bei|zu|zum|zur|in|im|uber)(?:\s+\S+){1,3})?"
    r"|mehr zum thema(?:\s+(?:auf|bei|von|vom|im|in)(?:\s+\S+){1,3})?"
    r"|(?:plus d'|d'autres |autres |(?:nos |les )?(?:derniers|dernieres) )(?:\S+\s+){0,2}?"
    r"(?:articles|actualites|actus|infos|sujets|videos|billets|publications)"
    r"(?:\s+(?:sur|de|du|des|dans|en)(?:\s+\S+){1,3})?"
    r"|(?:mas|otras|otros|ultimas|ultimos)\s+(?:\S+\s+){0,2}?(?:noticias|articulos|historias|videos|notas|publicaciones)"
    r"(?:\s+(?:de|del|sobre|en)(?:\s+\S+){1,3})?"
    r"|(?:المزيد من (?:\S+\s+){0,2}?(?:الاخبار|المقالات|المواضيع|التقارير|الفيديوهات|القصص)"
    r"|(?:اخبار|مقالات|مواضيع|تقارير|قصص) (?:اخري|اخر))(?:\s+(?:من|في|عن)(?:\s+\S+){1,3})?)$")

# Lines that credit another place of publication.
ATTRIBUTION = re.compile(
    r"(?:originally|first) (?:published|appeared|posted)|this (?:article|post|story) (?:was|first)|"
    r"(?:publie|paru)e? (?:initialement|a l'origine|pour la premiere fois|d'abord)|"
    r"cet article a ete publie|"
    r"(?:نشر|نشرت)(?: هذا| هذه)?(?: المقال| المقاله| الماده| التقرير)? (?:في الاصل|اصلا|لاول مره|اولا)"
)
COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)|all rights reserved|^(?:proudly )?powered by|الحقوق محفوظه|حقوق النشر محفوظه|"
    r"tous droits reserves|alle rechte vorbehalten|no reproduction without|reproduction (?:is )?(?:strictly )?prohibited|"
    r"(?:toute )?reproduction interdite|may not be (?:reproduced|published, broadcast)|"
    r"fierement propulse|propulse par"
)
# One of these is in every line COPYRIGHT matches: a cheap test before the pattern.
COPYRIGHT_KEYS = ("©", "(c)", "copyright", "rights reserved", "powered by", "محفوظه", "droits reserves", "vorbehalten",
                  "reproduction", "may not be", "propulse")
# Photo credits: a short line that only names the picture's source.
CREDIT = re.compile(r"^\(?(?:photos?|fotos?|bild(?:er)?|images?|credits? photos?|photo credits?|image credits?|"
                    r"(?:photo|image) d'illustration|image illustrative|illustration|(?:ال)?صوره|تصوير|"
                    r"photograph|fotografie|beitragsbild|titelbild|bildquelle)\s*(?:[:：©]|$)")
# A photo credit naming a picture agency, standing alone: "Mike Segar/Reuters", "(afp)", "istockphoto",
# "Mandel Ngan/AFP via Getty Images", "AFP / Marco Bertorello", "Von: det/dpa", "(أ ف ب)", "(رويترز)".
_AGENCY = (r"(?:afp|reuters|ap|ap photo|dpa|epa|efe|ansa|anadolu|xinhua|sipa|abaca|keystone|imago(?: images)?|"
           r"getty ?images|istock(?:photo)?|shutterstock|picture[- ]alliance|alamy|pa(?: images| wire)?|bloomberg|"
           r"رويترز|ا ?ف ?ب|ا\.ف\.ب|الاناضول|اسوشيتد برس|غيتي(?: ايميجز)?|وكالات)")
_CREDIT_NAME = r"[^\s/()]+(?: [^\s/()]+){0,3}"
AGENCY_CREDIT = re.compile(
    r"^\(?(?:(?:photo|photos|foto|fotos|bild|image|credit|quelle|source|von|par)\s*[:：]\s*)?"
    r"(?:(?:" + _CREDIT_NAME + r" ?/ ?){0,3}" + _AGENCY + r"(?: (?:via|/) (?:getty images|ap|afp|reuters))?"
    r"|" + _AGENCY + r"(?: ?/ ?" + _CREDIT_NAME + r"){1,2})\)?\.?$")
# "Courtesy Google", "Photo courtesy of the artist": a credit standing alone (up to five words).
COURTESY = re.compile(r"^(?:(?:photos?|images?|pictures?|video) )?courtesy(?: of)?(?: \S+){1,4}$")
# Month and weekday names of every supported language (crawler.dates.vocabulary, shared with the date parser),
# normalised as labels are, and the other tokens of a bare date line.
def _alternation(names: set[str]) -> str:
    words = {w for name in names for w in normalize(name).split()}
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


MONTH = re.compile(_alternation(month_names()))
_WEEKDAY = _alternation(weekday_names())
DATE_TOKEN = re.compile(rf"(?:{MONTH.pattern}|{_WEEKDAY})\.?|\d{{1,4}}(?:st|nd|rd|th|er)?\.?|\d{{1,2}}[:.]\d\d(?:[:.]\d\d)?|"
                        r"am|pm|a\.m\.|p\.m\.|[a-z]{2,4}t|utc|gmt|[-–—|,/·•@]|at|um|a|le|den|uhr|de|del|h|الاول|الثاني|م|ه")
# Promotion of the publisher's own apps, newsletters, channels and memberships: noise even in a long line.
PROMO = re.compile(
    r"\b(?:download|get|install) (?:the|our) .{0,40}\bapps?\b.{0,20}\b(?:ios|android|iphone|app store|google play)|"
    r"^follow @?[\w ]{1,40} on (?:twitter|facebook|instagram)|"
    r"\b(?:sign up|subscribe|register) (?:for|to) (?:the|our) (?:free )?(?:daily |weekly )?(?:\w+ )?newsletter|"
    r"\balready a (?:subscriber|member)\b|\blog ?in for (?:immediate |full )?access\b|"
    r"\bsupport (?:our|independent|quality) journalism\b|"
    r"\b(?:get|receive)\b.{0,60}\bdelivered (?:directly |straight |right )?to your inbox\b|"
    r"^want to (?:get|be) notified (?:whenever|when) we (?:write|post|publish)\b|"
    r"\bnext time we write about\b.{0,80}\bwe'?ll email you\b|"
    r"^follow our (?:full |live |latest )?coverage\b.{0,80}\bhere\.?$|"
    r"^for (?:a look at|more (?:on|about|information|details|news|stories)|the latest)\b.{0,100}\bclick here\.?$|"
    r"\bdelivered (?:through your letterbox|to your door(?:step)?)\b.{0,40}\b(?:every (?:month|week|issue)|issues? for)\b|"
    r"\bif you (?:enjoyed|liked|appreciated|valued?) (?:reading )?(?:this|our) (?:article|story|post|piece|journalism|work)\b"
    r".{0,120}\b(?:join|subscribe|support|become a (?:member|subscriber|patron)|donat|sign up|membership)|"
    r"\b(?:wenn|falls) (?:dir|ihnen) (?:dieser|der|unser) (?:artikel|beitrag) gefallen hat\b.{0,120}"
    r"\b(?:unterstutze|abonniere|spende|teile)|\bsi (?:vous avez|tu as) aime cet article\b.{0,120}"
    r"\b(?:abonnez|soutenez|partagez|faites un don)|"
    # the print magazine's issue on sale: "Die aktuelle Ausgabe jetzt am Kiosk, im Abo und als E-Paper"
    r"\b(?:aktuelle|neue|neueste) (?:ausgabe|heft)\b.{0,80}(?:kiosk\b|\bim abo\b|\be-paper\b|\beinzelheft\b)|"
    r"\b(?:im|als) abo\b.{0,60}\b(?:einzelheft|e-paper)\b|\beinzelheft\b.{0,60}\b(?:im|als) abo\b|"
    r"\b(?:current|latest|new) issue\b.{0,60}\b(?:on newsstands|at newsstands|digital edition)\b|"
    r"\ben kiosque\b.{0,60}\b(?:en abonnement|en version numerique)\b|"
    # "Did you enjoy this article? Support us…", asked as a question, then the ask
    r"(?:\b(?:did you (?:enjoy|like)|(?:enjoyed|liked)) (?:this|the|our) (?:article|story|post|piece)|"
    r"\b(?:hat (?:ihnen|dir)|(?:ihnen|dir) hat) (?:dieser|der|unser) (?:artikel|beitrag) gefallen|"
    r"\bgefallt (?:ihnen|dir) (?:dieser|der|unser) (?:artikel|beitrag)|\bcet article (?:vous|t') ?a plu|"
    r"\b(?:te|le) gusto (?:este|el|nuestro) (?:articulo|contenido|reportaje)|هل اعجبك (?:هذا )?(?:المقال|الموضوع|التقرير))"
    r"\s*[?؟].{0,120}\b(?:support|donat|subscribe|join|become a (?:member|subscriber)|share|unterstutz|spende|"
    r"abonnier|teile|helfen sie|soutenez|abonnez|faites un don|partagez|apoya|suscrib|dona|comparte|"
    r"ادعم|تبرع|اشترك|شارك)|"
    r"\b(?:we want|we'?d like|we would like|we'?d love) to hear what you think\b.{0,80}\b(?:article|articles|story|letters?)\b|"
    r"\bunterstutze(?:n sie)? (?:(?:uns|unsere arbeit|unser magazin|unsere redaktion|unseren journalismus)\b|"
    r"(?:\S+ ){1,3}(?:bereits|schon) (?:mit|ab) \d)|\b(?:kannst du|konnt ihr|konnen sie) (?:uns|unsere arbeit|unser magazin|"
    r"unseren journalismus)\b.{0,40}\bunterstutzen\b|\bjetzt (?:mit wenigen klicks |hier )?unterstutzen\b|"
    r"^\W*[\w.-]+ unterstutzen\W*$|\bwir finanzieren uns (?:durch|uber|aus|ausschliesslich)\b.{0,40}\b(?:spenden|abos?|leser)|"
    r"\bsoutenez(?:-nous| notre (?:travail|journalisme|redaction|media|independance))\b|\bfaites un don\b|"
    r"ادعمنا|تبرع الان|"
    r"^(?:anzeige|werbung|advertisement|publicite|sponsored|اعلان)\s*[-–:|]\s*\S|^werbung fur [^.!?]{0,40}$|"
    r"\bplease consider (?:making a donation|a donation|donating|supporting)\b.{0,120}"
    r"\b(?:reporting|journalism|newsroom|our (?:work|site|website))\b|"
    r"\b(?:reporting|journalism)\b.{0,80}\bplease consider (?:making a donation|a donation|donating|supporting)\b|"
    r"\b(?:recevez|retrouvez)\b.{0,60}\b(?:directement )?dans votre boite (?:mail|e-mail|de reception)\b|"
    r"تابعونا علي|تابعنا علي (?:تويتر|فيسبوك|فيس بوك|انستغرام|انستجرام|يوتيوب|تيليجرام|تلغرام|واتساب|تيك توك)|حمل تطبيق|اشترك في (?:النشره|نشرتنا|قناتنا)")
# Literal words of which every PROMO / FEEDBACK match holds one: a cheap test before the regex is run.
PROMO_KEYS = ("app", "follow", "notified", "email you", "click here", "newsletter", "already a", "access",
              "journalism", "inbox", "letterbox", "your door", "if you", "gefallen", "aime cet", "hear what",
              "enjoy", "liked", "did you like", "gefallt", "a plu", "gusto", "اعجبك",
              "ausgabe", "heft", "abo", "issue", "kiosque",
              "unterstutz", "finanzieren", "soutenez", "faites un don",
              "ادعمنا", "تبرع", "تابع", "حمل تطبيق", "اشترك", "anzeige", "werbung", "advertisement", "publicite",
              "sponsored", "اعلان", "please consider", "dans votre boite")
FEEDBACK_KEYS = ("helpful", "useful", "hilfreich", "gefallt", "utile", "plu", "مفيد", "اعجبك", "logged in", "connecte",
                 "angemeldet", "eingeloggt", "kommentar", "commentaire", "تسجيل الدخول")
# Newsroom notes: who contributed reporting, when the story was updated, where it is filed, house standards.
NEWSROOM_NOTE = re.compile(
    r"\bcontributed (?:reporting|to this (?:report|story|article))|\bont contribue a cet article|"
    r"^(?:last )?(?:updated|aktualisiert|mis a jour|actualizado|تم التحديث|اخر تحديث)\b[^\w]{0,3}"
    r"(?:at|on|am|le|el|في)?\s*\d[^a-z]{0,20}(?:[ap]\.?m\.?|uhr|h|gmt|utc|[a-z]{2,4}t)?\.?$|"
    r"^filed under\s*:")
# One of these is in every line NEWSROOM_NOTE matches.
NEWSROOM_KEYS = ("contributed", "contribue", "updated", "aktualisiert", "mis a jour", "actualizado", "تحديث", "filed under")
# Calls to subscribe or sign up, paywall notices and push-notification prompts, in short lines.
SUBSCRIBE = re.compile(
    r"\b(?:subscribe (?:now|today|to)|sign(?:ing)? up (?:now|today|here|for (?:our|my)\b|to (?:our|my|receive|get)\b)|"
    r"sign(?:ing)? up (?:for|to)\b.{0,60}\b(?:newsletters?|updates|alerts|e-?mails?|inbox)\b|"
    r"newsletter anmelden|zum newsletter|jetzt abonnieren|"
    r"suscribete|abonnez-vous|inscrivez-vous a|^inscrivez-vous(?: gratuitement)?$|اشترك (?:الان|في)|"
    r"pour lire la suite|pour acceder en illimite|"
    r"\b(?:turn on|enable|allow) (?:push |browser )?notifications\b|\bactive[rz] les notifications\b|"
    r"(?:تفعيل|فعل) (?:الاشعارات|التنبيهات)|"
    r"\b(?:article|story|content|feature)\b.{0,30}\b(?:for|to) (?:paying |premium )?subscribers only\b|"
    r"\bexclusive(?:ly)? (?:for|to) (?:subscribers|members)\b|"
    r"\brest of this (?:article|story) is (?:for|available to) (?:subscribers|members)\b|"
    r"\bunlock (?:this|the full) (?:article|story)\b|\balready have an account\b.{0,20}\b(?:log|sign) ?in\b|"
    r"\breservee? aux abonnes\b|\bdeja abonne\b|\bvous avez deja un compte\b|\bil vous reste \d+ ?% de cet article\b|"
    r"للمشتركين فقط|لديك حساب.{0,5}(?:سجل|تسجيل) الدخول|"
    r"to continue reading|subscribe to (?:read|continue))"
)
# One of these is in every line SUBSCRIBE matches.
SUBSCRIBE_KEYS = ("subscri", "sign", "newsletter", "abonn", "suscri", "inscri", "اشترك", "lire la suite", "illimite",
                  "notification", "الاشعارات", "التنبيهات", "member", "unlock", "account", "compte", "il vous reste",
                  "للمشتركين", "حساب", "continue reading")
# How to reach the writer, in short lines.
CONTACT = re.compile(r"\b(?:(?:may|can) be reached at|email (?:the writer|the author|us) at|have a tip\?|"
                     r"^write to [^@]{3,80} at \S+@\S+$|"
                     r"follow (?:him|her|them|us|the author) on|"
                     r"^follow\b.{0,60}\bon (?:twitter|facebook|instagram|youtube|linkedin|telegram)\b|"
                     r"^(?:suivez|retrouvez|rejoignez)[- ]nous sur\b|^siguenos en\b|^folgen sie uns auf\b|"
                     r"^(?:انضم|انضموا) (?:الي|ل) (?:قناتنا|مجموعتنا|صفحتنا)|"
                     # the publisher's channel on a messaging or video platform
                     r"\b(?:our|my) (?:official |new )?(?:youtube|telegram|whatsapp|tiktok) channel\b|"
                     r"\bour channel on (?:youtube|telegram|whatsapp|tiktok)\b|"
                     r"\b(?:nuestro|tenemos(?: un)?) canal (?:de|en) (?:youtube|telegram|whatsapp|tiktok)\b|"
                     r"\bnotre chaine (?:youtube|telegram|whatsapp|tiktok)\b|"
                     r"\bunse?re?[nm]? (?:youtube|telegram|whatsapp|tiktok)[- ]?kanal\b|"
                     r"قناتنا (?:علي|في|عبر) (?:يوتيوب|تيليجرام|تلغرام|تليجرام|تيلجرام|واتساب|تيك توك))")
# One of these is in every line CONTACT matches.
CONTACT_KEYS = ("reached at", "email", "tip?", "write to", "follow", "nous sur", "siguenos", "folgen sie", "انضم",
                "channel", "canal", "chaine", "kanal", "قناتنا")
# How to reach the reporter, with an address or handle: "Contact reporter X at x@site.com or 541-...".
REACH_REPORTER = re.compile(r"^(?:contact|reach|email|e-mail) (?:the )?(?:reporter|writer|author|columnist)s?\b.{0,100}@")
# An affiliate-link disclosure: "Die mit Sternchen (*) gekennzeichneten Links sind Affiliate-Links…", "Werbehinweis
# für Links mit Sternchen", "This post contains affiliate links: we may earn a commission", "liens affiliés".
AFFILIATE = re.compile(
    r"\baffiliate[- ]?links?\b.{0,200}(?:\((?:\*|\+)\)|\b(?:sternchen|gekennzeichnet|marked|werbende|we|us|our|i|my|me|"
    r"wir|uns|mir|ich|mich|nous|je)\b)|\b(?:sternchen|gekennzeichnet|marked)\b.{0,120}\baffiliate[- ]?links?\b|"
    r"^werbehinweis\b|\bbei den verlinkungen handelt es sich um\b|"
    r"\b(?:this|the) (?:post|article|page|site) (?:may )?contains? affiliate\b|\bas an amazon associate\b|"
    r"\bliens? affilies?\b.{0,120}\b(?:nous|je)\b")
# One of these is in every line AFFILIATE matches.
AFFILIATE_KEYS = ("affili", "werbehinweis", "verlinkungen")
# A post's categories or tags label: "Kategorisiert unter: Guides • Tipps", "Abgelegt unter: Literatur", "Tags: …"
# (not a single "Kategorie:", which also heads an award or a product line).
CATEGORY_LINE = re.compile(
    r"^(?:kategorisiert unter|abgelegt unter|veroffentlicht unter|kategorien|categories|"
    r"classe dans|rubriques|schlagworte?|schlagworter|stichworte?|tags?|mots[- ]cles|etiquettes?|"
    r"الوسوم|وسوم|التصنيفات?|تصنيف|كلمات مفتاحيه)\s*[:：]")
# A reader-feedback prompt or a comment box's log-in prompt, standing alone.
FEEDBACK = re.compile(
    r"^(?:was this (?:article|page|post|information) (?:helpful|useful)|"
    r"(?:war|fandest du|fanden sie) (?:dieser|der|den|diesen) (?:artikel|beitrag) hilfreich|"
    r"gefallt (?:dir|ihnen) (?:dieser|der) (?:artikel|beitrag)|cet article vous a-t-il (?:ete )?(?:utile|plu)|"
    r"avez-vous trouve cet article utile|هل كان هذا (?:المقال|الموضوع|المحتوي) مفيدا|هل اعجبك (?:المقال|الموضوع))\s*[?؟]?$|"
    r"\b(?:you must be|vous devez etre|du musst|sie mussen) (?:logged in|connecte|angemeldet|eingeloggt)\b.{0,40}"
    r"\b(?:comment|commentaire|kommentar)|\bum (?:selbst )?(?:einen kommentar|kommentare) (?:zu )?(?:hinterlassen|schreiben|verfassen)\b|"
    r"\bpour (?:laisser|publier|poster) un commentaire\b|^sie sind (?:aktuell |derzeit )?nicht (?:eingeloggt|angemeldet)\.?$|"
    r"يجب (?:عليك )?تسجيل الدخول (?:لكتابه|لاضافه|لنشر) (?:تعليق|التعليق)")
# A press release's contact label, standing alone: "Pressekontakt:", "Media contact", "Contact presse :".
PRESS_CONTACT = re.compile(
    r"^(?:presse-?kontakt|pressekontakte|medienkontakt|pressesprecher(?:in|\*in|:in)?|ansprechpartner(?:in|\*in|:in)?|"
    r"media contacts?|press contacts?|media enquiries|media inquiries|contact presse|contacts? presse|"
    r"relations? presse|للتواصل الاعلامي|للاستفسارات الاعلاميه)\s*[:：]?$")
# A comment section's house rules: comments are moderated / will not be approved.
COMMENT_POLICY = re.compile(
    r"\b(?:comments?|comentarios?|commentaires?|kommentare?|تعليقات|التعليقات)\b.{0,120}\b(?:moderat|moderad|modere|"
    r"approved|aprovad|aprobad|freigeschaltet|gepruft)|\bmoderat\w* (?:all |the )?comments\b|"
    r"(?:التعليقات|تعليقات|تعليقك|تعليقكم)\b.{0,80}(?:تخضع|للمراجعه|قبل نشرها|قبل النشر|لن (?:يتم )?نشر)|"
    r"مراجعه (?:جميع )?(?:التعليقات|تعليقك|تعليقكم)")
# One of these is in every line COMMENT_POLICY matches.
COMMENT_KEYS = ("comment", "comentario", "kommentar", "تعليق")
# A disclaimer that the comments or the piece speak for their authors, not for the site: "The views
# expressed here are the author's own", "Les opinions exprimees ... n'engagent que leurs auteurs",
# "الآراء الواردة أدناه لا تعبر عن رأي الموقع". Anchored on where the views stand (here, in this article,
# الواردة / المنشورة), so a report that a minister's views do not reflect a policy is prose.
VIEWS_DISCLAIMER = re.compile(
    r"\b(?:views|opinions|comments)(?: and opinions)? expressed (?:here|herein|below|above|in (?:this|these|the)|"
    r"on (?:this|these))\b.{0,100}\b(?:are (?:solely |entirely )?(?:those|the (?:author|writer))|"
    r"(?:do|does) not (?:necessarily )?(?:reflect|represent))|"
    r"\bn'engage(?:nt)? que (?:leurs?|son|ses) auteurs?\b|\bn'engage(?:nt)? (?:pas|en rien) la redaction\b|"
    r"\b(?:stellen|stellt|geben|gibt|spiegeln|spiegelt)\b.{0,40}\b(?:nicht|keinesfalls|keineswegs)(?: unbedingt| zwingend|"
    r" notwendigerweise)? (?:die )?meinung der redaktion\b|"
    r"\bmeinung (?:des|der) (?:autors|autorin|autoren|verfassers|verfasserin)\b.{0,20}\bwieder\b.{0,60}"
    r"\bnicht\b.{0,40}\b(?:redaktion|herausgebers?|verlags?)\b|"
    r"(?:الاراء|التعليقات|المقالات|المواد)(?: والتعليقات| والمقالات)? (?:الوارده|المنشوره|المطروحه)\b.{0,80}"
    r"(?:لا (?:تعبر|يعبر|تمثل|يمثل)\b|(?:تعبر|يعبر) عن (?:راي|وجهه نظر) (?:اصحابها|كاتبها|كتابها|صاحبها))|"
    r"(?:المقال|المقاله|هذا المقال) (?:يعبر|تعبر) عن (?:راي|وجهه نظر) (?:كاتبه|كاتبها|الكاتب)")
# One of these is in every line VIEWS_DISCLAIMER matches.
DISCLAIMER_KEYS = ("expressed", "n'engage", "meinung", "تعبر", "يعبر", "تمثل", "يمثل")
# A page's short link ("رابط مختصر: https://…"), a relative time ("منذ 3 ساعات", "3 hours ago"), a view count,
# a label and a bare address ("Listen: http://…", "Internet: www.…", "DOI: https://…").
PAGE_WIDGET = re.compile(
    r"^(?:(?:ال)?رابط (?:ال)?مختصر|short ?link|shortlink|lien court|permalink|permalien)\s*[:：]?\s*(?:https?://\S+)?$|"
    r"^منذ (?:\d+ )?(?:ثانيه|ثوان|ثواني|دقيقه|دقيقتين|دقائق|ساعه|ساعتين|ساعات|يوم|يومين|ايام|اسبوع|اسبوعين|اسابيع|"
    r"شهر|شهرين|اشهر|سنه|سنتين|سنوات)$|"
    r"^\d+ (?:seconds?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?) ago$|"
    r"^il y a \d+ (?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?)$|"
    r"^vor \d+ (?:sekunden?|minuten?|stunden?|tagen?|wochen?|monaten?|jahren?)$|"
    r"^hace \d+ (?:segundos?|minutos?|horas?|dias?|semanas?|meses?|anos?)$|"
    r"^(?:عدد المشاهدات|المشاهدات|views|vues)\s*[:：]?\s*\d[\d,. ]*$|"
    r"^\d[\d,. ]*\s*(?:مشاهده|مشاهدات|views?|vues?|lectures?)$|"
    r"^(?:[^\s:：]++ ){0,2}[^\s:：]++ ?[:：] ?(?:https?://|www\.)\S+$")
# Page-information lines: "Last modified: ...", "Category: ...".
PAGE_INFO = re.compile(r"^(?:last (?:modified|updated)|categor(?:y|ies)|kategorien?|categorie|"
                       r"zuletzt (?:aktualisiert|geandert)|التصنيف|القسم)\s*[:：]")
# "Source: News agencies" closing a wire story.
SOURCE = re.compile(r"^(?:source|sources|quelle|fuente|المصدر)\s*[:：]")
# Bylines and reading time that trafilatura sometimes keeps at the top of the body.
BYLINE = re.compile(
    r"^(?:by|par|بواسطه|بقلم|كتب|كتبه|كتبت|نشر في|posted (?:on|by|in)|published (?:on|by|in)|publie le)\b|"
    r"\b(?:min(?:ute)?s? read|min(?:utes?)? de lecture|temps de lecture|دقائق? (?:للقراءه|قراءه)|دقيقه قراءه)\b|"
    r"^(?:وقت|مده) القراءه\b|"
    r"^(?:auteure?s?|autor(?:en|in|innen)?|author|authors|الكاتب|المؤلف)\s*[:：]"
)

# class/id fragments of boilerplate containers.
NOISE_CLASS = re.compile(
    r"(?:^|[\s_-])(?:share|shares|sharing|sharedaddy|sharethis|social|socials|addtoany|a2a|"
    r"related|yarpp|relatedposts|newsletter|subscribe|subscription|mailchimp|mc4wp|signup|optin|"
    r"cookie|cookies|consent|gdpr|authorbox|author-box|author-bio|authorbio|about-author|author-info|"
    r"post-author|author-card|comments?|commentlist|comment-list|comment-respond|respond|disqus|"
    r"breadcrumbs?|crumbs?|drawer|offcanvas|off-canvas|navigation|nav|navbar|menu|sidebar|widgets?|"
    r"post-navigation|post-nav|nav-links|"
    r"nav-previous|nav-next|pagination|pager|tags-links|tag-links|post-tags|entry-tags|tagcloud|tags|"
    r"cat-links|skip-link|screen-reader-text|sr-only|visually-hidden|advert|advertisement|ads|adsbygoogle|"
    r"ad-slot|ad-container|popup|modal|promo|site-footer|footer|site-header|masthead|topbar|top-bar|"
    r"reading-time|read-time|byline|entry-meta|post-meta|meta-info|print-only|"
    r"jp-relatedposts|wp-block-latest-posts|wp-block-tag-cloud|most-read|most-popular|trending|"
    r"read-also|readalso|see-also|also-read|more-stories|recommended|outbrain|taboola|credits?)(?:$|[\s_-])"
)
NOISE_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog"})
NOISE_TAGS = frozenset({"nav", "aside", "footer", "form", "button", "select", "dialog", "menu", "iframe"})
# Boilerplate however long it is (comment threads, consent walls).
ALWAYS_NOISE = re.compile(r"comment|disqus|cookie|consent|gdpr|respond")
