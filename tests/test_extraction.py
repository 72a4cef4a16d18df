"""Unit tests of the extraction rules: noise, titles, authors, charsets, classification, robustness."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import html

from crawler.extraction import extract
from crawler.extraction.author import clean_author
from crawler.extraction.clean import join_split_body, paragraphs_from_breaks
from crawler.extraction.decode import decode_html
from crawler.extraction.lines import drop_breadcrumbs, is_noise_line
from crawler.extraction.title import strip_site
from crawler.items import PageSnapshot

FETCHED = datetime(2024, 3, 15, 12, tzinfo=timezone.utc)
PROSE = (
    "The committee met for the third time this month to discuss the budget of the new library, "
    "which has been delayed twice since the first plans were drawn up in the spring of last year."
)


def page(body: str, *, head: str = "", body_class: str = "single single-post", lang: str = "en") -> bytes:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head>'
        f'<body class="{body_class}">{body}</body></html>'
    ).encode("utf-8")


def run(body: bytes, url: str = "https://blog.example/2024/03/a-post/", **kw):
    return extract(PageSnapshot(url=url, body=body, fetched_at=FETCHED, **kw))


def article(content: str, title: str = "A library at last") -> bytes:
    return page(
        f'<article><h1 class="entry-title">{title}</h1><div class="entry-content">'
        f"<p>{PROSE}</p>{content}<p>{PROSE} Again.</p></div></article>",
        head=f'<meta property="og:type" content="article"><title>{title} | Town Blog</title>',
    )


@pytest.mark.parametrize(
    "line",
    [
        "إقرأ أيضاً : البلدية تفتتح المكتبة الجديدة في الربيع",
        "اقرأ أيضا: عنوان مقال آخر",
        "À lire aussi : Travaux place de la Mairie",
        "Read also: Mill Street traders fear for their parking",
        "Related: Bike counts doubled since 2019",
        "See also: Our winter ridge walk",
        "This article was originally published on Town Weekly.",
        "© 2023. All rights reserved.",
        "جميع الحقوق محفوظة © 2024",
        "Share this:",
        "شارك هذه المقالة:",
        "تخطى إلى المحتوى",
        "Skip to content",
        "Zum Inhalt springen",
        "Hauptinhalt",
        "Main content",
        "Contenu principal",
        "المحتوى الرئيسي",
        "By Clara Garcia",
        "بواسطة ريم الساعدي",
        "Publié le 14 mars 2024",
        "Cet article a été publié à l'origine sur Le Petit Journal.",
        "3 min read",
        "Lea también: La biblioteca abre sus puertas en mayo",
        "VEA TAMBIÉN: El puente nuevo del río",
        "Dies könnte Sie auch interessieren:",
        "Foto: Stefan Müller",
        "Subscribe now to our weekend edition for the full story.",
        "Have a tip? Clara may be reached at clara@example.com.",
        "Write to Clara Garcia at clara.garcia@example.com",
        "Créé: 12.12.2019, 07h36",
        "Was this article helpful?",
        "Want to get notified whenever we write about Town Hall?",
        "Follow our full coverage of the library opening here.",
        "For a look at the full election results, click here.",
        "اضغط هنا للاشتراك",
        "أضف تعليقك",
        "صورة أرشيفية",
        "الصورة: رويترز",
        "If you enjoyed this article, we have a proposition for you: join Town Plus and read without ads.",
        "Get Town Monthly delivered through your letterbox every month. 12 issues for £11.99.",
        "Wenn dir dieser Artikel gefallen hat, unterstütze uns mit einer Spende.",
        "We'd like to hear what you think about this or any of our articles. Write to letters@example.com.",
        "Unterstütze das Stadtblatt bereits mit 2,50 Euro!",
        "So könnt ihr uns unterstützen:",
        "Wir finanzieren uns durch Spenden und Abos.",
        "Soutenez notre journalisme indépendant.",
        "ANZEIGE - Heute mal essen gehen? Wie wäre es mit:",
        "Fandest du den Artikel hilfreich?",
        "Cet article vous a-t-il été utile ?",
        "هل كان هذا المقال مفيدا؟",
        "You must be logged in to post a comment.",
        "Um einen Kommentar zu hinterlassen, loggen Sie sich bitte ein.",
        "Kommentare von Lesern stellen keinesfalls die Meinung der Redaktion dar!",
        "Kategorisiert unter: Reisen • Tipps & Tricks • Bücher",
        "Tags: library, town",
        "التصنيف: أخبار محلية",
        "Die mit Sternchen (*) gekennzeichneten Links sind Affiliate-Links: kaufst du darüber, erhalten wir eine Provision.",
        "This post contains affiliate links.",
        "Erstellt am Dienstag 6. Mai 2014",
        "تاريخ النشر: 14 مارس 2024",
        "Auteur : Clara Garcia",
        "Author: Clara Garcia",
        "Photo d'illustration : Ville de Lyon",
        "Ses contenus n'engagent pas la rédaction.",
        "Der Beitrag gibt die Meinung des Autors wieder, nicht notwendigerweise die der Redaktion.",
        "Contact reporter Clara Garcia at clara@example.com or 555-0100. Want more local news? Read the town pages "
        "every morning, where the newsroom posts the day's stories, photos and events.",
        "From the morning briefing to the weekend edition, get the best of Town Daily delivered directly to your inbox.",
        "If you found the reporting above valuable, please consider making a donation to support it.",
        "Recevez l'essentiel de l'actualité directement dans votre boîte mail.",
        "Clara Garcia/Reuters",
        "(afp)",
        "Mandel Ngan/AFP via Getty Images",
        "AFP / Clara Garcia",
        "(أ ف ب)",
        "vor 14 Stunden",
        "hace 3 días",
        "2024-03-14T08:57:40+01:00",
        "library budget, town council, new library, reading room, spring plans, river park",
        "Comments",
        "SOURCE: News agencies",
        "(Image credit: Town Archive)",
        "Follow Town Daily on Instagram, Facebook and YouTube.",
        "تابعونا على فيسبوك وتويتر",
        "Publicité",
        "Pour lire la suite de cet article, abonnez-vous",
        "Last Modified: 12 March 2024",
        "Inhaltsverzeichnis",
        "The views expressed in this article are the author's own and do not reflect the editorial policy of Town Daily.",
        "Les commentaires publiés ici n'engagent que leurs auteurs.",
        "الآراء الواردة في التعليقات لا تعبر عن رأي المدونة",
        "التعليقات المنشورة تعبر عن رأي أصحابها",
        "المقال يعبر عن رأي كاتبه",
        "تخضع جميع التعليقات للمراجعة قبل نشرها",
        "سيتم مراجعة تعليقك قبل النشر",
        # a comment notice of three sentences (up to 50 words)
        "نرحب بتعليقاتكم على مقالات المدونة ونشجع النقاش الهادئ والمفيد بين القراء، ولكي لا نضطر إلى حذف أي مشاركة"
        " فإن جميع التعليقات تخضع للمراجعة قبل نشرها على الموقع. نرجو منكم قراءة قواعد النشر جيداً قبل الكتابة، وشكراً لكم"
        " على المشاركة الدائمة معنا في كل المواضيع.",
        "Town Daily Inc. No reproduction without permission.",
        "This material may not be published, broadcast, rewritten or redistributed.",
        "Reproduction interdite sans autorisation",
        "Related coverage",
        "Seite drucken",
        "Inscrivez-vous gratuitement",
        "Turn on notifications and we will tell you when the story moves.",
        "رابط مختصر: https://town.example/p/1234",
        "حجم الخط",
        "أضف تعليقاً",
        "أرسل لصديق",
        "1.234 مشاهدة",
        "منذ 3 ساعات",
        "3 hours ago",
        "il y a 2 jours",
        "كلمات دلالية:",
        "قد يعجبك أيضا",
        "حقوق النشر محفوظة لموقع المدينة 2024",
        "تابعنا على تويتر",
        "Listen to this article",
        "وقت القراءة: 3 دقائق",
        "5 min de lecture",
        "Listen: https://podcasts.example/episode-12",
        "Internet: www.town.example",
        "الموقع الرسمي: https://town.example/ar",
        "Google News",
        "Cet article est réservé aux abonnés.",
        "Il vous reste 80% de cet article à lire.",
        "Déjà abonné ? Connectez-vous",
        "This story is for subscribers only.",
        "Already have an account? Sign in",
        "هذا المحتوى متاح للمشتركين فقط",
        "Suivez-nous sur Facebook et Instagram",
        "Retrouvez-nous sur Google News",
        "انضموا إلى قناتنا على تيليجرام",
        "Activez les notifications pour ne rien manquer",
        "فعّل الإشعارات لتصلك آخر الأخبار",
        "تابعوا قناتنا على واتساب لآخر الأخبار",
        "Join our WhatsApp channel for the day's news",
        "Abonnez-vous à notre chaîne YouTube",
        "¿Sabías que tenemos un canal de Telegram? Únete aquí.",
        "Folgen Sie unserem Telegram-Kanal",
        "Ihnen hat der Artikel gefallen? Bitte helfen Sie uns und spenden Sie jetzt!",
        "Did you enjoy this article? Support our newsroom with a donation.",
        "Cet article vous a plu ? Soutenez notre rédaction.",
        "هل أعجبك المقال؟ شاركه مع أصدقائك",
        "Um selbst Kommentare verfassen zu können, müssen Sie sich bitte einloggen.",
        "Lesermeinungen",
        "تعليقات القراء",
        "Die aktuelle Ausgabe jetzt an jedem Bahnhofskiosk, im Abo und als E-Paper erhältlich.",
        "Bestellen Sie das Magazin im Shop als Abo oder Einzelheft.",
        "The latest issue is on newsstands now, or read the digital edition.",
        "Le magazine est en kiosque, en abonnement et en version numérique.",
        "Schlagwörter",
        "Temas",
    ],
)
def test_noise_lines(line: str) -> None:
    assert is_noise_line(line)


@pytest.mark.parametrize(
    "line",
    [
        PROSE,
        "By 2020, the number of cyclists had doubled in the old town and kept growing every year after that.",
        "وأضاف سيجري بأن المسؤولين قد أكدوا على استمرار الجهود الدبلوماسية الأمريكية في الضغط على نظام الأسد",
        "Related questions were raised by the opposition during the long evening session of the council.",
        "von der Stadt gebaut und im Mai eröffnet, mit einem großen Lesesaal und einem Garten.",
        "A: apples, pears, plums, cherries, grapes and figs, all from the valley",
        "Photographs from the archive show the square before the war, when the market still filled it.",
        "A spokesman said the views expressed by the minister do not reflect the policy of the government.",
        "وقال المتحدث إن تصريحات الوزير لا تعبر عن رأي الحكومة في هذه المسألة",
        "تابعنا على مدار الأسبوع تطورات الأزمة في المدينة",
        "منذ 3 ساعات والناس ينتظرون أمام المستشفى",
        "حقوق الإنسان محفوظة في الدستور الجديد كما قال الوزير",
        "The full report is online at https://town.example/report and runs to 90 pages.",
        "The club's newsletter, which goes to subscribers only twice a year, announced the new coach on Monday.",
        "Write to the council at once, the mayor told residents, and ask for the plans.",
        "Reuters reported that the talks had failed on Monday.",
        "Updated plans were published in March 2024 by the council.",
        "The council asked whether the report was helpful to residents.",
        "Follow our coverage of the trial, said the editor, who asked readers to be patient with the court.",
        "الصورة التي نشرتها الوزارة تظهر حجم الدمار في المدينة القديمة",
        "If you enjoyed this article you will like the book, which the author wrote in 1990 after a long trip.",
        "Residents get the new bins delivered to your door, the council said, as it did last year.",
        "Unterschreiben Sie die Petition und unterstützen Sie unsere Forderung nach einem neuen Ministerium.",
        "Werbung für Alkohol ist in vielen Ländern verboten, sagte die Ministerin am Montag in Berlin.",
        "Dennoch unterstützen wir dieses Volksbegehren, da es besser ist als der Status quo.",
        "Um Beiträge einzureichen, müssen Sie registriert und eingeloggt sein.",
        "Affiliate links are a common way for bloggers to earn money, the study found, and most readers do not mind.",
        "Kategorie: Bestes Kinderbuch für „Der Bär und die Bibliothek“ von Clara Garcia",
        "Tags are sold at the town hall for two euros.",
        "The author: a former teacher who moved to the valley in 1990, wrote three books about it.",
        "Illustration of the new library, drawn by the architects, shows four floors.",
        "Er gibt die Meinung des Autors wieder, sagte der Verleger, und das sei sein gutes Recht.",
        "The mayor asked residents to please consider donating blood at the new clinic, which opens on Monday.",
        "Police asked anyone who saw the crash to contact the reporter who wrote the story.",
        "وقالت رويترز إن المحادثات فشلت يوم الاثنين",
        "Vor 14 Stunden hat der Rat beschlossen, die Bibliothek zu bauen.",
        "The band posted the new clip on its YouTube channel on Monday.",
        "Did you enjoy the story? I did, and the ending surprised me because the author had hinted at it all along.",
        "She liked the article? No, she wrote to the editor to complain about it.",
        "Die aktuelle Ausgabe des Gesetzes sieht vor, dass Kioske sonntags öffnen dürfen.",
        "The new issue of shares went on sale on Monday at a discount.",
        "Le numéro de mars est en kiosque dès jeudi.",
        "Le canal de Suez a rouvert mardi après six jours de blocage.",
        "نشرت الفرقة المقطع على قناتها في يوتيوب",
        # longer than a notice: a report about comment moderation
        "The council said on Monday that all comments on its new planning portal are moderated before they are approved,"
        " a rule that residents criticised at the meeting because it delays every objection by a week, and the mayor"
        " promised to look again at the system before the summer, when the next round of plans for the old harbour is due.",
    ],
)
def test_prose_is_not_noise(line: str) -> None:
    assert not is_noise_line(line)


def test_read_also_paragraph_and_boxes_are_removed() -> None:
    content = (
        '<p>إقرأ أيضاً : <a href="/x/">دولة الكويت تعلق على رفض مجلس الأمن</a></p>'
        '<div class="sharedaddy"><h3>Share this:</h3><a href="#">Facebook</a></div>'
        '<div class="newsletter-box"><p>Sign up for our free newsletter and never miss a story.</p></div>'
        '<div class="author-box"><p>Clara writes about city hall for the paper since 2012.</p></div>'
    )
    result = run(article(content))
    assert result.text.splitlines() == [PROSE, PROSE + " Again."]


def test_subheadings_lists_quotes_and_captions_stay() -> None:
    content = (
        "<h2>What happens next</h2><ul><li>Phase one: the bridge.</li><li>Phase two: the square.</li></ul>"
        "<blockquote><p>It is a good day for the town, said the mayor.</p></blockquote>"
        '<figure><img src="a.jpg"><figcaption>The old library in 1950.</figcaption></figure>'
    )
    lines = run(article(content)).text.splitlines()
    for expected in ("What happens next", "Phase one: the bridge.", "Phase two: the square.",
                     "It is a good day for the town, said the mayor.", "The old library in 1950."):
        assert expected in lines


def test_lead_shown_under_the_headline_opens_the_body() -> None:
    lead = "The council approved the plans on Tuesday after two years of delays. Building starts in May."
    body = page(
        f'<article><header><h1 class="entry-title">A library at last</h1><p class="teaser">{lead}</p></header>'
        f'<div class="entry-content"><p>{PROSE}</p><p>{PROSE} Again.</p></div></article>',
        head=f'<meta property="og:type" content="article"><meta name="description" content="{lead}">',
    )
    assert run(body).text.splitlines()[0] == lead


ARABIC_LEAD = ("وافق المجلس البلدي على خطط المكتبة الجديدة يوم الثلاثاء بعد عامين من التأخير والنقاش العام. "
               "وتبدأ أعمال البناء في شهر أيار المقبل.")


@pytest.mark.parametrize("name,lead", [
    ("article__intro", "The council approved the plans on Tuesday after two years of delays. Building starts in May."),
    ("chapo", "Le conseil a approuvé les plans mardi, après deux ans de retard. Les travaux commencent en mai."),
    ("lead", ARABIC_LEAD),
])
def test_lead_named_so_under_the_headline_opens_the_body(name: str, lead: str) -> None:
    # the description says something else (shortened), so only the element's name marks the lead
    body = page(
        f'<article><header><h1 class="entry-title">A library at last</h1><div class="{name}"><p>{lead}</p></div>'
        f'</header><div class="entry-content"><p>{PROSE}</p><p>{PROSE} Again.</p></div></article>',
        head='<meta property="og:type" content="article"><meta name="description" content="The new library.">'
             '<title>A library at last | Town Blog</title>',
    )
    assert run(body).text.splitlines()[0] == lead


def headed(between: str, after: str = "") -> bytes:
    """An article page: the headline, ``between``, then the body (two paragraphs and ``after``)."""
    return page(
        f'<article><h1 class="entry-title">A library at last</h1>{between}'
        f'<div class="entry-content"><p>{PROSE}</p><p>{PROSE} Again.</p>{after}</div></article>',
        head='<meta property="og:type" content="article"><title>A library at last | Town Blog</title>',
    )


def test_a_long_one_sentence_lead_named_so_opens_the_body_but_not_a_lead_image_caption() -> None:
    lead = ("Thousands of readers pass the old station every day, and from next year they will see a new reading "
            "room rise above its platforms.")
    caption = "In this photo, the mayor opens the reading room in front of the old station on Monday morning."
    lines = run(headed(f'<div class="lead-art"><img src="/a.jpg" alt=""><p class="caption">{caption}</p></div>'
                       f'<div class="teaser-text">{lead}</div>')).text.splitlines()
    assert lines[0] == lead
    assert caption not in lines


def test_excerpts_of_other_stories_and_boxes_below_the_start_are_not_leads() -> None:
    cards = "".join(f'<div class="card"><a href="/p{i}/">Story {i}</a><p class="excerpt">The mayor opened bridge '
                    f'number {i} on Monday after a long wait. Traffic starts today.</p></div>' for i in range(3))
    summary = "In short: the council approved the plans on Tuesday after two years of delays and a long debate."
    lines = run(headed(f'<div class="feed">{cards}</div>',
                       f'<aside class="summary-box"><p class="summary">{summary}</p></aside>')).text.splitlines()
    assert lines[0] == PROSE
    assert not any("bridge number" in line for line in lines)


def test_lead_is_not_repeated_and_link_teasers_are_not_leads() -> None:
    lead = "The council approved the plans on Tuesday after two years of delays and a heated public debate."
    body = page(
        f'<article><h1>A library at last</h1><div class="entry-content"><p>{lead}</p><p>{PROSE}</p></div></article>'
        f'<div class="more"><a href="/x/"><p>{lead}</p></a></div>',
        head=f'<meta name="description" content="{lead}">',
    )
    assert run(body).text.splitlines().count(lead) == 1


def test_one_sentence_subtitle_is_not_a_lead() -> None:
    dek = "The council approved the plans on Tuesday after two years of delays."
    body = page(
        f'<article><header><h1 class="entry-title">A library at last</h1><p class="dek">{dek}</p></header>'
        f'<div class="entry-content"><p>{PROSE}</p><p>{PROSE} Again.</p></div></article>',
        head=f'<meta property="og:type" content="article"><meta name="description" content="{dek}">',
    )
    assert dek not in run(body).text


def test_hidden_copy_of_the_body_and_microdata_values_are_dropped() -> None:
    copy = f'<div style="x"><div itemprop="datePublished">2024-03-14T08:57:40+01:00</div>' \
           f'<div itemprop="keywords">library, town</div><div itemprop="articleBody">{PROSE} {PROSE} Again.</div></div>'
    lines = run(article(copy)).text.splitlines()
    assert lines == [PROSE, PROSE + " Again."]


SECOND = "After the vote, the architects presented a second plan with a larger reading room and a garden."


@pytest.mark.parametrize("parts", [
    # each part in its own wrapper
    f'<div class="grid"><div class="article__body"><p>{PROSE}</p><p>{PROSE} Again.</p></div></div>'
    f'<div class="ad"><span>Advertisement</span></div>'
    f'<div class="grid"><div class="article__body"><p>{SECOND}</p><p>{SECOND} Twice.</p></div></div>',
    # the parts beside the page's <h1> in one parent: the headline heads the first part only
    f'<div class="article__body"><p>{PROSE}</p><p>{PROSE} Again.</p></div>'
    f'<div class="ad"><span>Advertisement</span><a href="/loans">Buy a car today with our loans</a></div>'
    f'<div class="article__body"><p>{SECOND}</p><p>{SECOND} Twice.</p></div>',
])
def test_body_split_around_ads_is_joined(parts: str) -> None:
    body = page(f'<article><h1>A library at last</h1>{parts}</article>', head='<meta property="og:type" content="article">')
    assert run(body).text.splitlines() == [PROSE, PROSE + " Again.", SECOND, SECOND + " Twice."]


def test_a_card_article_before_the_story_does_not_stand_for_it() -> None:
    # a call-to-action box set in <article> above a story whose sections sit in <main> without one
    cta = '<article class="advice-box"><h2>Get advice</h2><p>Ask our experts about your new heating today.</p></article>'
    sections = "".join(f'<section class="richtext"><div><div><h2>Part {i}</h2>'
                       + "".join(f"<p>{PROSE} {i}.{j}</p>" for j in range(i + 1)) + "</div></div></section>"
                       for i in range(4))
    text = run(page(f"<main>{cta}<h1>A library at last</h1>{sections}</main>")).text
    assert all(f"{PROSE} {i}.0" in text for i in range(4))  # not the longest section alone


def test_entries_under_their_own_headings_are_not_joined() -> None:
    # a listing: same-class excerpts, each under its own heading in one parent, stay apart
    entries = "".join(f'<h2><a href="/p{i}/">Post number {i}</a></h2><div class="excerpt"><p>{PROSE} {i}</p></div>'
                      for i in range(3))
    tree = html.fromstring(f"<html><body><main>{entries}</main></body></html>")
    join_split_body(tree.find(".//body"), tree.find(".//div"))
    assert len(tree.findall(".//div[@class='excerpt']")) == 3


@pytest.mark.parametrize("heading", ["Top stories", "Vous aimerez aussi", "مواضيع قد تهمك", "More Must-Reads From Town Post",
                                     "More stories from the Post", "Weitere aktuelle Themen aus der Region",
                                     "Mehr zum Thema auf Stadtpost.de", "Neueste Sportnachrichten", "D'autres articles sur Lyon",
                                     "Otras noticias de Deportes", "المزيد من الأخبار", "مقالات أخرى"])
def test_related_heading_in_second_half_ends_the_body(heading: str) -> None:
    content = f"<h3>{heading}</h3><p>Mayor opens the new bridge.</p><p>Snow closes the ridge road.</p>"
    body = page(
        f'<article><h1>A library at last</h1><div class="entry-content"><p>{PROSE}</p><p>{PROSE} Again.</p>'
        f"{content}</div></article>",
        head='<meta property="og:type" content="article">',
    )
    assert run(body).text.splitlines() == [PROSE, PROSE + " Again."]


@pytest.mark.parametrize("subheading", ["Latest news from the council meeting on Monday", "Weitere Tipps für den Winter",
                                        "Weitere Informationen", "Plus de neige en altitude", "Más allá del puente"])
def test_a_subheading_that_names_no_list_of_stories_stays(subheading: str) -> None:
    content = f"<h3>{subheading}</h3><p>{SECOND}</p>"
    body = page(
        f'<article><h1>A library at last</h1><div class="entry-content"><p>{PROSE}</p><p>{PROSE} Again.</p>'
        f"{content}</div></article>",
        head='<meta property="og:type" content="article">',
    )
    assert run(body).text.splitlines()[-1] == SECOND


@pytest.mark.parametrize("label", ["Pressekontakt:", "Media contact", "Contact presse :", "للتواصل الإعلامي"])
def test_a_press_contact_block_closing_the_body_is_dropped(label: str) -> None:
    contact = f"<p>{label}</p><p>Clara Garcia, Town Library</p><p>Tel.: 0228-999-5777</p><p>E-Mail: presse@town.example</p>"
    body = page(f'<article><h1>A library at last</h1><div class="entry-content"><p>{PROSE}</p><p>{PROSE} Again.</p>'
                f"{contact}</div></article>", head='<meta property="og:type" content="article">')
    assert run(body).text.splitlines() == [PROSE, PROSE + " Again."]


def test_a_contact_label_followed_by_prose_stays() -> None:
    prose = ("Media contact with the council was rare in those years, and the library's plans were known only from "
             "the minutes of its meetings, which the town printed twice a year.")
    content = f"<p>Media contact</p><p>{prose}</p>"
    body = page(f'<article><h1>A library at last</h1><div class="entry-content"><p>{PROSE}</p><p>{PROSE} Again.</p>'
                f"{content}</div></article>", head='<meta property="og:type" content="article">')
    assert prose in run(body).text.splitlines()


def test_soft_hyphens_are_dropped() -> None:
    text = run(article("<p>Schon im Mit\u00adtel\u00adal\u00adter war der Wein be\u00adrühmt, weit über die Stadt hinaus.</p>")).text
    assert "Schon im Mittelalter war der Wein berühmt, weit über die Stadt hinaus." in text.splitlines()


def test_title_is_not_in_text_and_site_name_is_stripped() -> None:
    result = run(article(""))
    assert result.title == "A library at last"
    assert "A library at last" not in result.text


@pytest.mark.parametrize(
    ("raw", "site", "expected"),
    [
        ("Riverside cycle lane gets the green light | The Daily Byte", "The Daily Byte", "Riverside cycle lane gets the green light"),
        ("The Daily Byte - Riverside cycle lane gets the green light", "The Daily Byte", "Riverside cycle lane gets the green light"),
        ("نتائج اجتماع بين دبلوماسيين أمريكيين – مدونة هادي العبد الله", None, "نتائج اجتماع بين دبلوماسيين أمريكيين"),
        ("Why cities - and towns - need libraries", None, "Why cities - and towns - need libraries"),
    ],
)
def test_strip_site(raw: str, site: str | None, expected: str) -> None:
    assert strip_site(raw, site) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("By Clara Garcia", "Clara Garcia"), ("بواسطة ريم الساعدي", "ريم الساعدي"), ("par Marie Dupont", "Marie Dupont"),
     ("كتب: رامي الحلبي", "رامي الحلبي"), ("كتبه رامي الحلبي", "رامي الحلبي"), ("https://x.example/author/a", None), ("", None),
     ("View all posts by Clara Garcia", "Clara Garcia"), ("Zeige alle Beiträge von Jonas Weber", "Jonas Weber"),
     ("Voir tous les articles de Marie Dupont", "Marie Dupont"), ("عرض كل المقالات بواسطة ريم الساعدي", "ريم الساعدي"),
     ("6 de mayo de 2022 05:30", None), ("12 مارس 2024", None),  # a date is no author
     ("Jane Doe has walked the rivers of the north for twenty years", None),  # an author box's bio
     ("Amy Kuperinsky | Town Advance Media", "Amy Kuperinsky | Town Advance Media"),
     ("Isabel Caro, Rocío Latorre y José Miguel Wilson", "Isabel Caro, Rocío Latorre y José Miguel Wilson"),
     ("María del Carmen García de la Fuente", "María del Carmen García de la Fuente"),  # a long name
     ("عبد الله بن محمد بن عبد الرحمن آل سعود", "عبد الله بن محمد بن عبد الرحمن آل سعود"),
     ("ريم الساعدي كاتبة تعيش في بيروت وتكتب عن المطبخ اللبناني منذ عشرين عاما", None)],
)
def test_author_prefixes(raw: str, expected: str | None) -> None:
    assert clean_author(raw) == expected


def test_windows_1256_declared_as_utf8() -> None:
    text = '<html><head><meta charset="utf-8"></head><body><p>مرحبا بكم في مدونتنا الجديدة</p></body></html>'
    assert "مرحبا بكم" in decode_html(text.encode("cp1256"))


def test_utf8_page_with_stray_latin1_bytes_stays_utf8() -> None:
    page = '<meta charset="utf-8"><p>Grüße aus Köln, schöne Bärte und Öfen.</p>'.encode() + "<p>Caf\xe9</p>".encode("cp1252")
    text = decode_html(page)
    assert "Grüße aus Köln, schöne Bärte" in text and "Café" in text


@pytest.mark.parametrize("declared", ["iso-8859-2", "windows-1256", "iso-8859-6"])
def test_valid_utf8_declared_as_a_single_byte_charset(declared: str) -> None:
    page = f'<meta charset="{declared}"><p>Nowym prezesem zarządu będzie Paweł. مرحبا بكم</p>'.encode()
    assert "zarządu będzie Paweł. مرحبا بكم" in decode_html(page)


def test_http_charset_wins() -> None:
    body = "<p>مرحبا بكم في مدونتنا</p>".encode("cp1256")
    assert "مرحبا" in decode_html(body, "windows-1256")


def test_utf8_bom_and_mislabelled_latin1() -> None:
    assert decode_html("\ufeff<p>café</p>".encode("utf-8")) == "<p>café</p>"
    assert "café" in decode_html('<meta charset="iso-8859-1"><p>café</p>'.encode("utf-8"))


@pytest.mark.parametrize(
    ("url", "body_class"),
    [
        ("https://blog.example/", "home blog"),
        ("https://blog.example/page/2/", "blog paged"),
        ("https://blog.example/category/news/", "archive category"),
        ("https://blog.example/tag/idlib/", "archive tag"),
        ("https://blog.example/author/reem/", "archive author"),
        ("https://blog.example/2021/05/", "archive date"),
        ("https://blog.example/?s=idlib", "search search-results"),
    ],
)
def test_listings_are_not_articles(url: str, body_class: str) -> None:
    entries = "".join(f'<article><h2 class="entry-title"><a href="/p{i}/">Post {i}</a></h2><p>{PROSE}</p></article>' for i in range(5))
    result = run(page(f"<main>{entries}</main>", body_class=body_class), url=url)
    assert not result.is_article and result.reason


def test_static_page_and_error_page_are_not_articles() -> None:
    about = page(f'<article><h1 class="entry-title">About us</h1><div class="entry-content"><p>{PROSE}</p><p>{PROSE}</p></div></article>',
                 head='<meta property="og:type" content="website">', body_class="page page-id-2")
    assert not run(about, url="https://blog.example/about/").is_article
    error = page("<h1>Page not found</h1><p>Sorry, nothing here.</p>", head="<title>Page not found</title>", body_class="error404")
    assert run(error, url="https://blog.example/nope/").reason == "error-page"


def test_print_view_is_noindex_article() -> None:
    body = article("").replace(b"<title>", b'<meta name="robots" content="noindex, follow"><title>')
    result = run(body, url="https://blog.example/2024/03/a-post/?print=1")
    assert result.is_article and result.noindex


def test_canonical_same_host_only() -> None:
    same = article("").replace(b"<title>", b'<link rel="canonical" href="/2024/03/a-post/"><title>')
    assert run(same, url="https://blog.example/2024/03/a-post/?utm_source=rss").url == "https://blog.example/2024/03/a-post/"
    other = article("").replace(b"<title>", b'<link rel="canonical" href="https://other.example/orig/"><title>')
    assert run(other).url == "https://blog.example/2024/03/a-post/"


def test_dates_never_after_fetch_and_url_fallback() -> None:
    future = article("").replace(b"<title>", b'<meta property="article:published_time" content="2030-01-01T00:00:00Z"><title>')
    result = run(future, url="https://blog.example/2023/07/09/a-post/")
    assert result.published == datetime(2023, 7, 9) and result.date_source == "url"


def test_top_bar_date_is_ignored() -> None:
    body = page(f'<div class="top-bar"><span class="date">March 14, 2024</span></div><article><h1 class="entry-title">T is here</h1>'
                f'<div class="entry-meta"><span class="posted-on">May 3, 2021</span></div><div class="entry-content"><p>{PROSE}</p><p>{PROSE}</p></div></article>')
    result = run(body)
    assert result.published == datetime(2021, 5, 3) and result.date_source == "text"


@pytest.mark.parametrize("body", [b"", b"   ", b"%PDF-1.7 binary", b"\x89PNG\r\n\x1a\n\x00\x00", b"<html>", b"<<<>>>", b"\xff\xfe\x00<\x00h"])
def test_degenerate_inputs(body: bytes) -> None:
    result = run(body)
    assert not result.is_article and result.reason


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_never_raises_on_random_bytes(body: bytes) -> None:
    result = run(body)
    assert isinstance(result.text, str)
    assert not (result.reason or "").startswith("error"), result.reason  # extract turns errors into a reason


TAGS = st.sampled_from(["<p>", "</p>", "<div class='entry-content'>", "</div>", "<article>", "<h1>", "</h1>", "<li>", "<table>",
                        "<script>", "<!--", "-->", "<![CDATA[", "</span></div>", "&amp;", "&#xD800;", "<meta charset='utf-16'>",
                        "<html lang='ar'>", "\x00", "إقرأ أيضاً :", "Read also:", "<time datetime='2021-13-45'>"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(TAGS, st.text(max_size=40)), max_size=60))
def test_never_raises_on_mangled_html(parts: list[str]) -> None:
    result = run("".join(parts).encode("utf-8", "surrogatepass"))
    assert isinstance(result.is_article, bool)
    assert not (result.reason or "").startswith("error"), result.reason  # extract turns errors into a reason


def test_related_heading_and_the_link_lists_after_it_are_dropped() -> None:
    box = ('<p><strong>DON\'T MISS</strong></p><p><a href="/x">Mayor opens new bridge</a> (photos)<br>'
           '<a href="/y">Council votes on parking</a></p>'
           '<div class="heading-h3">More Great Town Stories</div><ul><li>The long life <a href="/z">of a ferry</a>'
           '</li><li>How to <a href="/w">grow figs on a balcony</a></li></ul>')
    text = run(article(box)).text
    assert PROSE in text and "Again." in text
    assert "bridge" not in text and "ferry" not in text and "figs" not in text


@pytest.mark.parametrize("heading", ["You may also like", "اقرأ أيضا", "À lire aussi"])
@pytest.mark.parametrize("cards", [True, False])
def test_long_teasers_after_a_related_heading_are_dropped(heading: str, cards: bool) -> None:
    summary = ("The harbour board met again on Monday and the fishermen who came to listen left "
               "with more questions than answers about the new quay.")
    teasers = [(f'<h3><a href="/2024/03/story-{i}/">Story number {i} about the harbour and the town</a></h3>'
                f"<p>{summary}</p>") for i in range(4)]
    box = "".join(f'<div class="card">{t}</div>' for t in teasers) if cards else "".join(teasers)
    body = page(
        f'<article><h1>A library at last</h1><div class="content"><p>{PROSE}</p><p>{PROSE} Again.</p>'
        f'<div class="box"><h2>{heading}</h2>{box}</div></div></article>',
        head='<meta property="og:type" content="article">',
    )
    text = run(body).text
    assert "Again." in text
    assert "Story number" not in text and "harbour board" not in text


def test_meta_keywords_list_and_comment_rules_are_not_body() -> None:
    keywords = "library budget, town council, new library, spring plans"
    body = page(
        f'<article><h1>A library at last</h1><div class="entry-content"><p>{PROSE}</p><p>{PROSE} Again.</p>'
        f"<p>{keywords}</p><p>Note: comments are moderated and will not be approved if they are rude.</p></div></article>",
        head=f'<meta property="og:type" content="article"><meta name="keywords" content="{keywords}">',
    )
    text = run(body).text
    assert "Again." in text
    assert "town council" not in text and "moderated" not in text


def test_photo_credit_boxes_and_courtesy_lines_go_captions_stay() -> None:
    figure = ('<figure><img src="/a.jpg"><figcaption>The new library seen from the river.'
              '<span class="media__credit">Jane Roe/Town Agency</span></figcaption></figure>'
              "<p>Courtesy Town Council</p>")
    text = run(article(figure)).text
    assert "The new library seen from the river." in text
    assert "Town Agency" not in text and "Courtesy" not in text


@pytest.mark.parametrize("line", ["Monday, November 18, 2019", "November 20, 2019 - 11:28 AMT",
                                  "Mittwoch, 9. Februar 2022", "الاثنين 18 نوفمبر 2019", "23.10.2018",
                                  "20.04.2018 16:22", "2019-11-18 08:05", "18/11/2019 - 8h05"])
def test_date_line_at_either_end_of_the_body_is_dropped(line: str) -> None:
    from crawler.extraction.lines import filter_lines
    assert filter_lines([line, PROSE, "March 2019", PROSE + " Again.", line]) == [
        PROSE, "March 2019", PROSE + " Again."]


@pytest.mark.parametrize("line", ["23.10.2018 is the day the council voted.", "1.5 million", "10/10", "2019-2020"])
def test_numbers_that_are_not_a_bare_date_stay(line: str) -> None:
    from crawler.extraction.lines import filter_lines
    assert filter_lines([line, PROSE, line]) == [line, PROSE, line]


@pytest.mark.parametrize("line", [
    "For the latest stories and breaking news updates download the Town Daily apps for iOS and Android.",
    "Start every weekday with our morning briefing: the council, the schools, the roads and the weather, read by "
    "thousands of people in the valley before breakfast. Sign up for the free daily newsletter.",
    "Already a subscriber? Log in for full access to every story, the archive and the weekend edition of the paper.",
    "Follow @TownBikes on Twitter for every new route we publish, with maps, photos and the forecast for riders. "
    "Routes may change when the river is high, so check the page again on the morning of your ride.",
])
def test_publisher_promotions_are_noise_even_when_long(line: str) -> None:
    assert is_noise_line(line)


@pytest.mark.parametrize("line", [
    "Users can sign up for the new service from Monday, the company said, adding that the app would come later.",
    "The council will download the data and publish it on its own site next week, the mayor told reporters.",
])
def test_prose_about_apps_and_sign_ups_stays(line: str) -> None:
    assert not is_noise_line(line)


@pytest.mark.parametrize("line", ["Associated Press writers Jane Roe and John Doe contributed to this report.",
                                  "Jane Roe contributed reporting from Hong Kong.", "Updated at 1:23 p.m.",
                                  "Aktualisiert am 19.02.2020", "Filed under: Politics |"])
def test_newsroom_notes_are_noise(line: str) -> None:
    assert is_noise_line(line)


def test_update_paragraphs_stay() -> None:
    assert not is_noise_line("Updated: 3 people were killed in the blast, police said.")


def test_arabic_vocabulary_is_written_in_the_normalised_form_it_is_matched_against() -> None:
    """The patterns match ``normalize``d text (alef forms unified, ى -> ي, ة -> ه, tatweel and Latin accents
    dropped): a pattern spelling "على", "بواسطة" or "publié" could never match."""
    import re as _re

    from crawler.extraction import patterns
    for name, value in vars(patterns).items():
        if isinstance(value, _re.Pattern):
            assert not {ch for ch in value.pattern if ch in "أإآٱىةـ" or "\u00c0" <= ch <= "\u024f"}, name


@pytest.mark.parametrize("wrapper", ["social-media-embed", "article-widget article-tweet", "embed-twitter"])
def test_tweet_quoted_in_the_article_stays(wrapper: str) -> None:
    """A tweet the article quotes (Twitter's embed code) is body text, whatever its wrapper is named."""
    tweet = (f'<div class="{wrapper}"><blockquote class="twitter-tweet"><p>The new library opens on Monday, '
             'come and see the reading room.</p>— Town Hall (@townhall) March 14, 2024</blockquote></div>')
    lines = run(article(tweet)).text.splitlines()
    assert "The new library opens on Monday, come and see the reading room." in lines
    assert "— Town Hall (@townhall) March 14, 2024" in lines


def test_tweet_outside_the_article_is_not_body() -> None:
    sidebar = ('<aside class="sidebar"><div class="social-media-embed"><blockquote class="twitter-tweet">'
               "<p>Our opening hours change next week, check the website.</p></blockquote></div></aside>")
    body = article("").replace(b"</article>", b"</article>" + sidebar.encode())
    assert "opening hours" not in run(body).text


def test_template_markup_is_never_text() -> None:
    template = ('<template type="amp-mustache"><div>{{#steps}}<p>{{{title}}}</p>'
                "<p>No step-by-step guide for this recipe yet: be the first to write one, it only takes minutes.</p>"
                "{{/steps}}</div></template>")
    text = run(article(template)).text
    assert PROSE in text and "{{" not in text and "step-by-step" not in text


def test_code_after_a_self_closed_script_tag_is_not_text() -> None:
    code = "<script type=\"text/javascript\"/>\n(function() { document.addEventListener('load', init); })();\n</script>"
    text = run(article(f"<p>Short second paragraph of the post.</p>{code}")).text
    assert "addEventListener" not in text and "Short second paragraph" in text and text.endswith("Again.")


@pytest.mark.parametrize("trail", [["Home", "World", "News"], ["Home ›", "Presse+Aktuelles ›", "Pressemitteilungen"],
                                   ["الرئيسية", "أخبار", "محليات"], ["Accueil »", "Société"]])
def test_a_breadcrumb_trail_kept_as_lines_is_dropped(trail: list[str]) -> None:
    assert drop_breadcrumbs([PROSE, *trail, PROSE]) == [PROSE, PROSE]
    assert drop_breadcrumbs([*trail, "A headline of the post", PROSE]) == ["A headline of the post", PROSE]


@pytest.mark.parametrize("lines", [
    ["Home", PROSE, "World"],                                    # a home link alone: not a trail
    ["Home", "Short line, a sentence.", PROSE],                  # followed by a sentence
    [PROSE, PROSE, PROSE, PROSE, PROSE, "Home", "Garden", PROSE],  # deep in the body: a subheading
])
def test_home_lines_that_are_not_a_trail_stay(lines: list[str]) -> None:
    assert drop_breadcrumbs(lines) == lines


def test_a_crumb_list_is_noise_by_its_class() -> None:
    trail = '<a href="/w/">World news</a> » <a href="/w/europe/">Europe and its neighbours</a>'
    for name, kept in (("bread_crumb_en", False), ("trail-notes", True)):
        text = run(page(f'<article><h1>A headline</h1><p>{PROSE}</p><p class="{name}">{trail}</p><p>{PROSE} Two.</p></article>')).text
        assert ("Europe and its neighbours" in text) is kept and PROSE in text


@pytest.mark.parametrize("name", ["site-drawer_level1", "offcanvas offcanvas-start", "mobile-off-canvas"])
def test_off_canvas_menus_are_noise(name: str) -> None:
    menu = f'<div class="{name}"><p>World news politics opinion sport culture technology travel weather today</p></div>'
    text = run(article(menu)).text
    assert PROSE in text and "culture technology" not in text


@pytest.mark.parametrize("attr", ['class="mainNav"', 'class="p-navEl"', 'class="subMenuItem"', 'class="cssNavigationLeaf"',
                                  'class="offCanvasMenu-content"'])
def test_navigation_named_in_camel_case_is_noise(attr: str) -> None:
    menu = f'<div {attr}><ul><li>World news politics opinion sport culture technology travel weather today</li></ul></div>'
    text = run(article(menu)).text
    assert PROSE in text and "culture technology" not in text


@pytest.mark.parametrize("attr", ['class="eventDetailsContentTags"', 'class="Menus"', 'class="Navigators"'])
def test_camel_case_names_with_a_navigation_word_inside_another_word_stay(attr: str) -> None:
    note = f'<div {attr}><p>The harbour board met again on Monday and the fishermen left with more questions.</p></div>'
    assert "fishermen left" in run(article(note)).text


def test_a_link_in_the_text_named_for_navigation_stays() -> None:
    text = run(article(f'<p>Prices for <a class="RichTextIntLink NavNode" href="/oil/">heating oil</a> rose. {PROSE}</p>')).text
    assert "Prices for heating oil rose." in text


@pytest.mark.parametrize("heading", ["Das könnte Sie auch interessieren", "You may also like", "اقرأ أيضا"])
def test_a_wrapped_related_heading_heads_the_list_items_after_it(heading: str) -> None:
    summary = "The harbour board met again on Monday and the fishermen left with more questions than answers."
    items = "".join(f'<li><a href="/2024/03/story-{i}/"><div class="title">Story number {i} about the harbour</div>'
                    f"<p>{summary}</p></a></li>" for i in range(4))
    box = f'<ul class="card-timeline"><li class="title"><div><span>{heading}</span></div></li>{items}</ul>'
    text = run(article(box)).text
    assert PROSE in text and "Again." in text
    assert "Story number" not in text and "harbour board" not in text


def test_text_is_stored_composed() -> None:
    decomposed = "Le journaliste a\u0301 Montre\u0301al, re\u0301fle\u0301chir avant d\u2019e\u0301crire."
    result = run(article(f"<p>{decomposed}</p>", title="E\u0301te\u0301 a\u0300 Montre\u0301al"))
    assert "réfléchir avant d’écrire" in result.text and result.title == "Été à Montréal"


HARBOUR = ("The council voted on Monday to rebuild the old harbour wall, after two winters of storms left it cracked "
           "and unsafe for the fishing boats that still use it every morning.")
ORCHESTRA = ("A second, unrelated story about the regional orchestra, which has announced a new season of concerts in "
             "the spring with three premieres and a tour of the valley towns.")


def _story(headline: str, prose: str, paragraphs: int) -> str:
    return f"<article><h1>{headline}</h1>" + "".join(f"<p>{prose} Part {i}.</p>" for i in range(paragraphs)) + "</article>"


@pytest.mark.parametrize("layout", ["siblings", "scroll container", "next story longer"])
def test_the_next_story_an_infinite_scroll_appended_is_dropped(layout: str) -> None:
    first, second = _story("Harbour wall to be rebuilt", HARBOUR, 4), _story("Orchestra announces its season", ORCHESTRA, 5)
    body = {"siblings": first + second, "scroll container": f'<div class="infinite-scroll">{first}{second}</div>',
            "next story longer": first + _story("Orchestra announces its season", ORCHESTRA, 9)}[layout]
    result = run(page(body, head='<meta property="og:type" content="article"><title>Harbour wall to be rebuilt</title>'))
    assert result.text.count("harbour wall") == 4 and "orchestra" not in result.text


def test_sections_in_articles_and_teaser_cards_are_not_other_stories() -> None:
    sections = _story("Pear and almond tart", HARBOUR, 2) + _story("Method", ORCHESTRA, 3)  # one recipe, two <article>s
    text = run(page(sections, head="<title>Pear and almond tart</title>")).text
    assert text.count("harbour wall") == 2 and text.count("orchestra") == 3
    card = '<article><h2><a href="/2024/03/a-post/">Harbour wall to be rebuilt</a></h2></article>'  # the title, as a card
    body = card + f'<article class="post"><h2>Town news</h2>{"".join(f"<p>{ORCHESTRA} {i}.</p>" for i in range(4))}</article>'
    assert run(page(body, head="<title>Harbour wall to be rebuilt</title>")).text.count("orchestra") == 4


ARABIC_STEP = ("افركي الزبدة مع الطحين حتى يصبح مثل الفتات الناعم، ثم أضيفي البيضة واعجني العجينة "
               "قليلاً قبل أن ترتاح في الثلاجة لمدة نصف ساعة.")


SIDEBAR = ('<div class="side"><p>We deliver to all towns within three days of your order, free above sixty euros, '
           'and keep it safe.</p><p>Parcels under two kilos travel with the post, the others with a courier.</p></div>')


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_loose_text_split_by_line_breaks_is_read_as_paragraphs(lang: str) -> None:
    first, second = (PROSE, SECOND) if lang == "en" else (ARABIC_STEP, "ثم تخبز الفطيرة في فرن ساخن لمدة أربعين دقيقة حتى يصبح لونها ذهبياً.")
    post = f'<div class="text">{first}<br><br>{second}<br><br>{second} 2<br></div>'
    body = page(f'<div class="wrap"><div class="main"><h1>A library at last</h1>{post}</div>{SIDEBAR}</div>',
                head='<meta property="og:type" content="article"><title>A library at last</title>', lang=lang)
    assert run(body).text.splitlines() == [first, second, f"{second} 2"]  # neither the first lost nor the box taken


def test_a_link_inside_loose_text_does_not_split_its_line() -> None:
    post = (f'<div class="text">{PROSE} See <a href="/notes">the notes</a> for more.<br><br>You can read the plans '
            f'<a href="/plans">here</a>. The council will vote on them in May.<div class="note">{SECOND}</div></div>')
    lines = run(page(f"<article><h1>A library at last</h1>{post}</article>",
                     head='<meta property="og:type" content="article">')).text.splitlines()
    assert "You can read the plans here. The council will vote on them in May." in lines


def test_a_label_with_a_line_break_is_left_as_it_is() -> None:
    tree = html.fromstring('<html><body><div class="byline">By Jane Doe<br>March 3, 2024</div></body></html>')
    paragraphs_from_breaks(tree)
    assert tree.find(".//p") is None and tree.find(".//br") is not None


def test_a_long_comment_thread_does_not_stand_for_the_story() -> None:
    # the readers wrote more than the author: the densest block is the comments until they are set apart
    comments = "".join(f"<p>Reader {i} says: {HARBOUR} {ORCHESTRA}</p>" for i in range(4))
    body = (f'<div class="post"><h1>A library at last</h1><div class="entry"><p>{PROSE}</p><p>{SECOND}</p></div>'
            f'<div class="user-comments">{comments}</div></div>')
    assert run(page(body, head="<title>A library at last</title>")).text.splitlines() == [PROSE, SECOND]
