"""clean_html and clean_news_json: headline + lede + body, metadata, no chrome, no crash."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raqib.ingest.clean import Cleaned, CleanError, clean_html, clean_news_json

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "clean"


def _fixture(name: str) -> str:
    return (FIXTURES / name).read_text("utf-8")


AR_HTML = _fixture("arms-seizure.ar.html")
AR_EXPECTED = _fixture("arms-seizure.ar.expected.txt").rstrip("\n")
EN_HTML = _fixture("rifles-port.en.html")
EN_EXPECTED = _fixture("rifles-port.en.expected.txt").rstrip("\n")


# ---------------------------------------------------------------- Arabic page


@pytest.fixture(scope="module")
def arabic() -> Cleaned:
    return clean_html(AR_HTML, url="https://www.almarsad.example/security/2024/03/12/boat")


def test_arabic_text_is_headline_lede_body(arabic: Cleaned) -> None:
    assert arabic.text == AR_EXPECTED


def test_arabic_headline_then_lede_come_first(arabic: Cleaned) -> None:
    headline, lede, first_body = arabic.text.split("\n\n")[:3]
    assert headline == "خفر السواحل يضبط شحنة أسلحة مهربة قبالة ميناء المخا"
    assert lede.startswith("أعلنت قوات خفر السواحل اليمنية")
    assert first_body.startswith("وقال مسؤول في خفر السواحل")


def test_arabic_metadata(arabic: Cleaned) -> None:
    # The <h1>, not the <title> with its " - المرصد العربي" suffix.
    assert arabic.title == "خفر السواحل يضبط شحنة أسلحة مهربة قبالة ميناء المخا"
    assert arabic.byline == "سالم الحربي"
    assert arabic.section == "أمن"
    assert arabic.published == "2024-03-12"
    assert arabic.outlet == "المرصد العربي"
    assert arabic.language == "ar"
    assert arabic.url == "https://www.almarsad.example/security/2024/03/12/boat"


@pytest.mark.parametrize(
    "chrome",
    [
        "الرئيسية",  # navigation
        "رياضة",
        "نستخدم ملفات تعريف الارتباط",  # cookie banner
        "موافق",
        "شارك هذا المقال",  # share buttons
        "فيسبوك",
        "اقرأ أيضا",  # related links
        "وزير الداخلية يتفقد المنافذ الحدودية",
        "جميع الحقوق محفوظة",  # footer
        "من نحن",
        "قارب الصيد بعد اقتياده",  # photo caption
        "بقلم",  # byline line (lifted into metadata)
        "SCRIPT_TEXT_MUST_NOT_APPEAR",
        "STYLE_TEXT_MUST_NOT_APPEAR",
        "font-family",
        "dataLayer",
    ],
)
def test_arabic_chrome_is_gone(arabic: Cleaned, chrome: str) -> None:
    assert chrome not in arabic.text


def test_arabic_caption_is_reported_as_removed(arabic: Cleaned) -> None:
    assert arabic.removed[0].startswith("قارب الصيد بعد اقتياده إلى ميناء المخا")


def test_paragraphs_are_separated_by_blank_lines(arabic: Cleaned) -> None:
    paragraphs = arabic.text.split("\n\n")
    assert len(paragraphs) == 9  # headline, lede, 3 paragraphs, sub-heading, 3 paragraphs
    assert all(p and p == p.strip() and "\n" not in p for p in paragraphs)
    assert "مسار التهريب" in paragraphs  # the sub-heading stays, as its own paragraph


# ---------------------------------------------------------------- English page


@pytest.fixture(scope="module")
def english() -> Cleaned:
    return clean_html(EN_HTML, url="https://harbourtimes.example/world/2024/rifles")


def test_english_text(english: Cleaned) -> None:
    assert english.text == EN_EXPECTED


def test_english_metadata(english: Cleaned) -> None:
    assert english.title == "Customs officers find rifles hidden in machinery shipment"
    assert english.byline == "Jane Doe"
    assert english.section == "World"
    assert english.published == "2024-05-21"
    assert english.outlet == "The Harbour Times"
    assert english.language == "en"


@pytest.mark.parametrize(
    "chrome",
    [
        "Latest news, analysis and opinion",  # site-wide meta description: not a lede
        "We use cookies",
        "Accept all cookies",
        "Log in",
        "Advertisement",
        "Read more",
        "Police break up smuggling ring",
        "Share this article",
        "Subscribe to our newsletter",
        "Related stories",
        "Ferry operator fined",
        "All rights reserved",
        "The Harbour Times.",
        "MUST_NOT_APPEAR",  # every script, handler, javascript: URL and form value
        "alert(",
        "javascript",
    ],
)
def test_english_chrome_and_hostile_content_is_gone(english: Cleaned, chrome: str) -> None:
    assert chrome not in english.text


# ---------------------------------------------------------------- headline and lede logic


def _page(head: str, body: str) -> str:
    return f"<html><head>{head}</head><body>{body}</body></html>"


_PARAGRAPHS = "".join(
    f"<p>Paragraph {n} of the report gives details of the seizure and of the people "
    f"who organised the shipment across the border last spring.</p>"
    for n in ("one", "two", "three", "four")
)


def test_headline_inside_the_article_is_not_repeated() -> None:
    html = _page(
        "<title>Border guards seize drones | Daily Example</title>",
        f"<article><h1>Border guards seize drones</h1>{_PARAGRAPHS}</article>",
    )
    text = clean_html(html).text
    assert text.startswith("Border guards seize drones\n\nParagraph one")
    assert text.count("Border guards seize drones") == 1


def test_title_falls_back_to_the_page_title_without_site_suffix() -> None:
    html = _page(
        "<title>Border guards seize drones - Daily Example</title>"
        '<meta property="og:title" content="Border guards seize drones">',
        f"<article>{_PARAGRAPHS}</article>",
    )
    cleaned = clean_html(html)
    assert cleaned.title == "Border guards seize drones"
    assert cleaned.text.startswith("Border guards seize drones\n\nParagraph one")


def test_site_logo_h1_is_not_the_headline() -> None:
    html = _page(
        '<meta property="og:site_name" content="Daily Example">'
        '<meta property="og:title" content="Border guards seize drones">',
        "<header><h1>Daily Example</h1></header>"
        f"<article><h1>Border guards seize drones</h1>{_PARAGRAPHS}</article>",
    )
    assert clean_html(html).title == "Border guards seize drones"


def test_lede_already_in_the_body_is_not_repeated() -> None:
    lede = "Officials said the drones were packed in boxes labelled as toys for children."
    html = _page(
        f'<meta name="description" content="{lede}">',
        f"<article><h1>Border guards seize drones</h1><p class='lede'>{lede}</p>"
        f"{_PARAGRAPHS}</article>",
    )
    text = clean_html(html).text
    assert text.count(lede) == 1
    assert text.index(lede) < text.index("Paragraph one")


def test_unprinted_meta_description_serves_as_lede() -> None:
    lede = "Officials said the drones were packed in boxes labelled as toys for children."
    html = _page(
        f'<meta name="description" content="{lede}">',
        f"<h1>Border guards seize drones</h1><article>{_PARAGRAPHS}</article>",
    )
    paragraphs = clean_html(html).text.split("\n\n")
    assert paragraphs[:3] == ["Border guards seize drones", lede, paragraphs[2]]
    assert paragraphs[2].startswith("Paragraph one")


@pytest.mark.parametrize(
    "description",
    [
        "Officials said the drones were packed in boxes labelled as toys for…",  # truncated
        "News from Example",  # a tagline
    ],
)
def test_unusable_meta_description_is_not_a_lede(description: str) -> None:
    html = _page(
        f'<meta name="description" content="{description}">',
        f"<h1>Border guards seize drones</h1><article>{_PARAGRAPHS}</article>",
    )
    assert clean_html(html).text.split("\n\n")[1].startswith("Paragraph one")


def test_truncated_description_finds_the_printed_standfirst() -> None:
    full = "Officials said the drones were packed in boxes labelled as toys for children."
    html = _page(
        '<meta name="description" content="Officials said the drones were packed in…">',
        f"<h1>Border guards seize drones</h1><div class='intro-text'>{full}</div>"
        f"<article>{_PARAGRAPHS}</article>",
    )
    assert clean_html(html).text.split("\n\n")[1] == full


# ---------------------------------------------------------------- hostile and broken HTML


def test_hostile_html_never_leaks_script() -> None:
    html = (
        "<html><head><title>T</title><script>var a='LEAK1';</script></head>"
        "<body onload=\"alert('LEAK2')\">"
        "<h1 onclick=\"alert('LEAK3')\">Headline of the story<script>alert('LEAK4')</script></h1>"
        "<article>"
        "<p>First paragraph with enough words to be kept as the article body text here."
        "<img src=x onerror=\"alert('LEAK5')\"></p>"
        "<p><a href=\"javascript:alert('LEAK6')\">A link</a> inside the second paragraph "
        "which also has enough words to be kept.</p>"
        "<svg><script>alert('LEAK7')</script></svg><noscript>LEAK8</noscript>"
        "<p>Third paragraph<style>p{}/*LEAK9*/</style> ends the article body here.</p>"
        "<iframe srcdoc=\"<script>alert('LEAK10')</script>\"></iframe>"
        "<template><p>LEAK11</p></template>"
        "</article></body></html>"
    )
    cleaned = clean_html(html)
    assert "LEAK" not in cleaned.text
    assert "alert" not in cleaned.text
    assert "A link inside the second paragraph" in cleaned.text
    assert cleaned.text.startswith("Headline of the story\n\nFirst paragraph")


def test_malformed_html_with_unclosed_tags() -> None:
    html = (
        "<html><body><article><h1>Unclosed tags everywhere"
        "<p>The first paragraph of a story that never closes its tags properly at all"
        "<p>The second paragraph <b>bold <i>and italic</p> then more text of the story"
        "<div><p>The third paragraph has an unclosed <span>span and ends the file"
    )
    text = clean_html(html).text
    assert "The first paragraph of a story" in text
    assert "The third paragraph has an unclosed span" in text
    assert "<" not in text


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 100_000 + "<p>deep text</p>" + "</div>" * 100_000,
        "<div>" * 100_000,
        "<p>" + "<b>" * 100_000 + "deep text",
        "<table><tr><td>" * 30_000,
        "<ul><li>" * 50_000 + "deep",
    ],
    ids=["div", "unclosed-div", "b", "table", "list"],
)
def test_deeply_nested_html_fails_fast_with_a_clean_error(html: str) -> None:
    start = time.perf_counter()
    with pytest.raises(CleanError) as info:
        clean_html(html)
    assert time.perf_counter() - start < 2.0
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    "html",
    [
        "",
        "   \n\t ",
        "<!-- only a comment -->",
        "<script>alert(1)</script>",
        "<html><body><style>p {}</style></body></html>",
    ],
    ids=["empty", "whitespace", "comment", "script", "style-only"],
)
def test_no_article_raises_clean_error(html: str) -> None:
    with pytest.raises(CleanError) as info:
        clean_html(html)
    assert "\n" not in str(info.value)


def test_nul_bytes_and_xml_declaration_are_tolerated() -> None:
    html = (
        '<?xml version="1.0" encoding="utf-8"?>\x00<html><body><article>'
        "<p>A paragraph that follows an XML declaration and a NUL character in the input.</p>"
        "</article></body></html>"
    )
    assert clean_html(html).text == (
        "A paragraph that follows an XML declaration and a NUL character in the input."
    )


_TAGS = [
    "<div>",
    "</div>",
    "<p>",
    "</p>",
    "<b>",
    "<script>",
    "</script>",
    "<style>",
    "<table>",
    "<td>",
    "<h1>",
    "</h1>",
    "<!--",
    "-->",
    "<a href='javascript:x'>",
    "<img onerror='x'>",
    "&amp;",
    "&#0;",
    "<![CDATA[",
    "]]>",
    "<?xml?>",
    "\x00",
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_TAGS), st.text(max_size=30)), max_size=60))
def test_any_tag_soup_gives_text_or_clean_error(parts: list[str]) -> None:
    try:
        cleaned = clean_html("".join(parts))
    except CleanError as exc:
        assert "\n" not in str(exc)
    else:
        assert cleaned.text.strip()
        assert "<script" not in cleaned.text


# ---------------------------------------------------------------- news JSON

NEWS_PLEASE = {
    "authors": ["Jane Doe", "John Roe"],
    "date_download": "2024-10-08 09:00:00",
    "date_publish": "2024-10-07 12:30:00",
    "description": "Investigators say the rifles came from a depot in the north.",
    "language": "en",
    "maintext": (
        "Customs officers found 64 rifles in a container of machinery on Monday.\n"
        "Advertisement\n"
        "Two men were arrested at a warehouse near the port."
    ),
    "source_domain": "harbourtimes.example",
    "title": "Customs officers find rifles",
    "url": "https://harbourtimes.example/world/rifles",
}


def test_news_please_record() -> None:
    cleaned = clean_news_json(NEWS_PLEASE)
    assert cleaned.text == (
        "Customs officers find rifles\n\n"
        "Investigators say the rifles came from a depot in the north.\n\n"
        "Customs officers found 64 rifles in a container of machinery on Monday.\n\n"
        "Two men were arrested at a warehouse near the port."
    )
    assert cleaned.title == "Customs officers find rifles"
    assert cleaned.byline == "Jane Doe; John Roe"
    assert cleaned.published == "2024-10-07"
    assert cleaned.outlet == "harbourtimes.example"
    assert cleaned.url == "https://harbourtimes.example/world/rifles"
    assert cleaned.language == "en"
    assert cleaned.removed == ["Advertisement"]


def test_news_please_as_json_text_and_lede_already_in_body() -> None:
    record = dict(NEWS_PLEASE, description="Two men were arrested at a warehouse near the port.")
    text = clean_news_json(json.dumps(record)).text
    assert text.count("Two men were arrested") == 1
    assert text.startswith("Customs officers find rifles\n\nCustoms officers found 64 rifles")


def test_truncated_description_is_not_a_lede() -> None:
    record = dict(NEWS_PLEASE, description="Investigators say the rifles came from a…")
    text = clean_news_json(record).text
    assert "Investigators" not in text
    assert text.startswith("Customs officers find rifles\n\nCustoms officers found 64 rifles")


TRAFILATURA_JSON = {
    "title": "خفر السواحل يضبط شحنة أسلحة",
    "author": "سالم الحربي",
    "hostname": "almarsad.example",
    "date": "2024-03-12",
    "raw_text": "وقال مسؤول في خفر السواحل إن دورية اعترضت القارب. وأضاف أن الشحنة ضمت بنادق.",
    "text": "وقال مسؤول في خفر السواحل إن دورية اعترضت القارب.\nوأضاف أن الشحنة ضمت بنادق.",
    "language": None,
    "source": "https://almarsad.example/security/boat",
    "source-hostname": "المرصد العربي",
    "excerpt": "أعلنت قوات خفر السواحل ضبط قارب صيد يحمل بنادق آلية.",
    "categories": "أمن;اليمن",
    "tags": "",
}


def test_trafilatura_record() -> None:
    cleaned = clean_news_json(json.dumps(TRAFILATURA_JSON, ensure_ascii=False))
    assert cleaned.text == (
        "خفر السواحل يضبط شحنة أسلحة\n\n"
        "أعلنت قوات خفر السواحل ضبط قارب صيد يحمل بنادق آلية.\n\n"
        "وقال مسؤول في خفر السواحل إن دورية اعترضت القارب.\n\n"
        "وأضاف أن الشحنة ضمت بنادق."
    )
    assert cleaned.byline == "سالم الحربي"
    assert cleaned.section == "أمن"
    assert cleaned.published == "2024-03-12"
    assert cleaned.outlet == "المرصد العربي"
    assert cleaned.url == "https://almarsad.example/security/boat"


def test_older_trafilatura_record_with_sitename_and_raw_text_only() -> None:
    record = {
        "title": None,
        "raw_text": "Only raw text survives in this record of the article.",
        "sitename": "Example News",
        "date": "2024-01-02T10:00:00+00:00",
        "categories": ["Security", "World"],
    }
    cleaned = clean_news_json(record)
    assert cleaned.text == "Only raw text survives in this record of the article."
    assert cleaned.outlet == "Example News"
    assert cleaned.published == "2024-01-02"
    assert cleaned.section == "Security"
    assert cleaned.title is None


@pytest.mark.parametrize(
    "data",
    [
        {"title": "No text at all"},
        {"maintext": "", "title": "Empty"},
        {"maintext": None},
        {"text": "   "},
        {"maintext": "Advertisement\nShare this article"},
        "{not json",
        "[1, 2]",
        "null",
    ],
    ids=["no-text", "empty", "null", "blank", "only-chrome", "bad-json", "list", "json-null"],
)
def test_news_json_without_text_raises_clean_error(data: dict[str, object] | str) -> None:
    with pytest.raises(CleanError) as info:
        clean_news_json(data)
    assert "\n" not in str(info.value)
