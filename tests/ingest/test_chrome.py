"""Plain-text scrapes: section label, captions, byline and prompts out; the article in."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import regex
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from raqib.ingest.chrome import (
    is_caption,
    is_chrome_line,
    load_chrome_data,
    match_byline,
    split_blocks,
)
from raqib.ingest.clean import Cleaned, CleanError, clean_plain_text

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "clean"
SEED_TITLE = "’تاجر الموت‛ الروسي يعود لبيع الأسلحة في اليمن"
SEED_CAPTION = (
    "فيكتور بوت أثناء التقاط صورة له خلال افتتاح معرض فني في موسكو يوم 7 آذار/مارس 2023. "
    "[ألكسندر نيمينوف/وكالة الصحافة الفرنسية]"
)


@pytest.fixture(scope="module")
def seed(seed_path: Path) -> Cleaned:
    return clean_plain_text(seed_path.read_text("utf-8"))


# ---------------------------------------------------------------- the seed


def test_seed_metadata(seed: Cleaned) -> None:
    assert seed.section == "أمن"
    assert seed.title == SEED_TITLE
    assert seed.byline == "فريق عمل الفاصل"
    assert seed.outlet == "الفاصل"


def test_seed_text_is_the_article_exactly(seed: Cleaned) -> None:
    expected = (FIXTURES / "bout-houthis.ar.expected.txt").read_text("utf-8").rstrip("\n")
    assert seed.text == expected


def test_seed_text_starts_with_headline_then_lede(seed: Cleaned) -> None:
    headline, lede = seed.text.split("\n\n")[:2]
    assert headline == SEED_TITLE
    assert lede.startswith("كشفت مصادر أن تاجر الأسلحة")


def test_seed_removed_lines_in_order(seed: Cleaned) -> None:
    assert seed.removed == [
        "أمن",
        SEED_CAPTION,
        SEED_CAPTION,
        "فريق عمل الفاصل |",
        "هل أعجبك هذا المقال؟",
        "يرجى إدخال الأرقام *",
    ]


@pytest.mark.parametrize(
    "gone",
    [
        "صورة له خلال افتتاح معرض",
        "وكالة الصحافة الفرنسية]",
        "هل أعجبك",
        "يرجى إدخال",
        "فريق عمل الفاصل",
    ],
)
def test_seed_chrome_is_not_in_text(seed: Cleaned, gone: str) -> None:
    assert gone not in seed.text


def test_seed_sub_heading_stays_as_a_paragraph(seed: Cleaned) -> None:
    assert "\n\nدمية في يد القوى الخارجية\n\n" in seed.text


def test_seed_with_windows_newlines_gives_the_same_result(seed_path: Path, seed: Cleaned) -> None:
    crlf = clean_plain_text(seed_path.read_text("utf-8").replace("\n", "\r\n"))
    assert crlf == seed


# ---------------------------------------------------------------- other scrapes


def test_arabic_scrape_with_staff_byline_and_link_rail() -> None:
    cleaned = clean_plain_text((FIXTURES / "arms-seizure.ar.txt").read_text("utf-8"))
    expected = (FIXTURES / "arms-seizure.ar.expected.txt").read_text("utf-8").rstrip("\n")
    caption = "قارب الصيد بعد اقتياده إلى ميناء المخا يوم 11 آذار/مارس. [المرصد العربي/خاص]"
    assert cleaned.text == expected
    assert cleaned.section == "أمن"
    assert cleaned.byline == "أسرة تحرير المرصد العربي"
    assert cleaned.outlet == "المرصد العربي"
    assert cleaned.removed == [
        "أمن",
        caption,
        caption,
        "أسرة تحرير المرصد العربي |",
        "شارك هذا المقال",
        "اقرأ أيضا: وزير الداخلية يتفقد المنافذ الحدودية في محافظة المهرة",
        "هل أعجبك هذا المقال؟",
        "يرجى إدخال الرمز *",
    ]


ENGLISH_SCRAPE = """World

Customs officers find rifles hidden in machinery shipment

By Jane Doe | 21 May 2024

Investigators say the weapons were concealed inside crates declared as pumps.

  Advertisement

Customs officers at the port found 64 assault rifles on Monday, officials said.
Read more: Police break up smuggling ring in the north
Two men were arrested at a warehouse near the port.

Share this article

Subscribe to our newsletter

Did you like this article?
"""


def test_english_scrape() -> None:
    cleaned = clean_plain_text(ENGLISH_SCRAPE)
    assert cleaned.section == "World"
    assert cleaned.title == "Customs officers find rifles hidden in machinery shipment"
    assert cleaned.byline == "Jane Doe"
    assert cleaned.outlet is None
    assert cleaned.text == (
        "Customs officers find rifles hidden in machinery shipment\n\n"
        "Investigators say the weapons were concealed inside crates declared as pumps.\n\n"
        "Customs officers at the port found 64 assault rifles on Monday, officials said.\n"
        "Two men were arrested at a warehouse near the port."
    )
    assert cleaned.removed == [
        "World",
        "By Jane Doe | 21 May 2024",
        "Advertisement",
        "Read more: Police break up smuggling ring in the north",
        "Share this article",
        "Subscribe to our newsletter",
        "Did you like this article?",
    ]


def test_breadcrumb_gives_the_last_part_as_section() -> None:
    cleaned = clean_plain_text(
        "Home > World > Middle East\n\nArms deal collapses after sanctions vote\n\n"
        "The agreement to sell rifles to the militia was cancelled on Friday.\n"
    )
    assert cleaned.section == "Middle East"
    assert cleaned.title == "Arms deal collapses after sanctions vote"


def test_short_headline_above_a_sentence_is_not_a_section() -> None:
    text = (
        "Explosion at arms depot\n\n"
        "A blast hit the depot on Tuesday, killing two guards and injuring dozens.\n\n"
        "Officials said the cause was under investigation."
    )
    cleaned = clean_plain_text(text)
    assert cleaned.section is None
    assert cleaned.title == "Explosion at arms depot"
    assert cleaned.text == text


@pytest.mark.parametrize(
    "line",
    [
        "By the end of the year, the ministry said, it would stop all exports.",
        "By Tuesday the port was closed.",
        "كتب الرئيس رسالة إلى البرلمان يطالب فيها بوقف تهريب السلاح.",
        "قال فريق التحقيق إن الشحنة وصلت من ميناء آخر.",
    ],
)
def test_sentences_are_not_bylines(line: str) -> None:
    assert match_byline(line) is None
    cleaned = clean_plain_text(f"Title of the article here\n\n{line}\n\nMore body text.")
    assert line in cleaned.text
    assert cleaned.byline is None


def test_a_repeated_line_without_credit_loses_only_its_second_copy() -> None:
    cleaned = clean_plain_text(
        "Arms deal collapses\nArms deal collapses\n\nThe agreement was cancelled on Friday."
    )
    assert cleaned.text == "Arms deal collapses\n\nThe agreement was cancelled on Friday."
    assert cleaned.removed == ["Arms deal collapses"]


def test_characters_inside_lines_are_untouched() -> None:
    line = "  قال\u00a0المسؤول  إن   «الشحنة»\u200c وصلت.\t "
    cleaned = clean_plain_text(f"Title\n\n{line}\n")
    assert cleaned.text.split("\n\n")[1] == line.strip()


@pytest.mark.parametrize("text", ["", "  \n\n \t", "Advertisement\n\nShare this article\n"])
def test_nothing_left_raises_clean_error(text: str) -> None:
    with pytest.raises(CleanError):
        clean_plain_text(text)


# ---------------------------------------------------------------- the patterns

CHROME_LINES = [
    "هل أعجبك هذا المقال؟",
    "هل اعجبك هذا الخبر",
    "يرجى إدخال الأرقام *",
    "الرجاء إدخال رمز التحقق",
    "شارك هذا المقال",
    "شارك على فيسبوك",
    "تابعونا على تويتر",
    "اشترك الآن",
    "اشترك في النشرة البريدية",
    "إعلان",
    "اقرأ أيضا",
    "إقرأ أيضاً: عنوان مقال آخر عن موضوع مختلف",
    "مواضيع ذات صلة",
    "الأكثر قراءة",
    "جميع الحقوق محفوظة للمرصد 2024",
    "Did you like this article?",
    "Was this article helpful?",
    "Please enter the code shown above *",
    "Share this article",
    "Share on Facebook",
    "Subscribe",
    "Subscribe to our newsletter",
    "Sign up for our daily newsletter",
    "Advertisement",
    "ADVERTISEMENT",
    "Story continues below advertisement",
    "Read more: Police break up smuggling ring in the north",
    "Related: Another story",
    "• Follow us on Twitter",
    "We use cookies to improve your experience on our website.",
    "© 2024 Example News. All rights reserved.",
    "Lire aussi : un autre article",
    "Publicité",
]


@pytest.mark.parametrize("line", CHROME_LINES)
def test_chrome_phrases_are_recognised(line: str) -> None:
    assert is_chrome_line(line)


def _article_lines() -> list[str]:
    lines: list[str] = []
    for name in (
        "bout-houthis.ar.expected.txt",
        "arms-seizure.ar.expected.txt",
        "rifles-port.en.expected.txt",
    ):
        for block in split_blocks((FIXTURES / name).read_text("utf-8")):
            lines.extend(block)
    return lines


ORDINARY_LINES = [
    "Subscribers to the arms registry must report every sale within 30 days.",
    "Share prices of the defence firm fell after the report.",
    "Advertisements for rifles appeared on a closed messaging channel.",
    "Read the full report on the ministry's website, he said.",
    "وقال المشارك في الاجتماع إن الأسلحة نقلت عبر البحر.",
    "وأعلنت الشركة عن إعلان جديد لبيع الطائرات المسيرة.",
    "شارك مئات المقاتلين في الهجوم على المدينة.",
    "اشترك في الهجوم عشرات المسلحين",  # "took part", not "subscribe"
    "شارك في الاجتماع وزراء الدفاع.",
    "تابعوا في الأسواق بيع الأسلحة.",
    "Share the story with police.",
    "Subscribe to the theory of a single network.",
    "By the end of 2023, the smuggling network had moved 400 rifles.",
    "The ratio of seized to declared rifles was [12/34] in the report.",
]


@pytest.mark.parametrize("line", _article_lines() + ORDINARY_LINES)
def test_article_lines_are_not_chrome(line: str) -> None:
    assert not is_chrome_line(line)
    assert not is_caption(line)


@pytest.mark.parametrize(
    "line",
    [
        SEED_CAPTION,
        "Smoke rises over the port. [John Smith/Reuters]",
        "A soldier inspects rifles. (Photo: Jane Doe/AFP)",
        "صورة: مقاتلون في شمال البلاد",
    ],
)
def test_captions_are_recognised(line: str) -> None:
    assert is_caption(line)


@pytest.mark.parametrize(
    ("line", "byline", "outlet"),
    [
        ("فريق عمل الفاصل |", "فريق عمل الفاصل", "الفاصل"),
        ("أسرة تحرير المرصد العربي", "أسرة تحرير المرصد العربي", "المرصد العربي"),
        ("بقلم سالم الحربي", "سالم الحربي", None),
        ("كتب: محمد علي | 12 آذار 2024", "محمد علي", None),
        ("By Jane Doe", "Jane Doe", None),
        ("By Jane Doe and John Roe | May 21, 2024", "Jane Doe and John Roe", None),
        ("Reuters Staff", "Reuters Staff", "Reuters"),
    ],
)
def test_bylines(line: str, byline: str, outlet: str | None) -> None:
    assert match_byline(line) == (byline, outlet)


def test_chrome_yaml_is_valid() -> None:
    data = load_chrome_data()
    for key in ("lines", "prefixes"):
        assert {"ar", "en"} <= set(data[key])
        for patterns in data[key].values():
            assert patterns and all(isinstance(p, str) and p for p in patterns)
            for pattern in patterns:
                assert "<<" not in pattern, f"undefined placeholder in {pattern}"
                regex.compile(pattern)
    for pattern in data["captions"]:
        regex.compile(pattern)
    for pattern in data["bylines"]["patterns"]:
        assert "byline" in regex.compile(pattern).groupindex
    regex.compile(data["padding"]["before"])
    regex.compile(data["padding"]["after"])
    regex.compile(data["bylines"]["separator"])
    regex.compile(data["section"]["breadcrumb_separators"])
    regex.compile(data["headline"]["sentence_end"])
    assert data["section"]["max_words"] > 0 and data["headline"]["max_words"] > 0
    html = data["html"]
    assert "script" in html["drop_tags"] and "style" in html["drop_tags"]
    assert all(isinstance(word, str) and word for word in html["lede_classes"])
    assert 0 < html["lede_min_words"] < html["lede_max_words"]


# ---------------------------------------------------------------- properties

_POOL = [
    "Customs officers found rifles in a container on Monday.",
    "The ministry denied the report in a statement.",
    "وقال مسؤول إن الشحنة وصلت من ميناء آخر.",
    "ورأى محللون أن التهريب سيستمر.",
    "Advertisement",
    "Share this article",
    "هل أعجبك هذا المقال؟",
    "يرجى إدخال الأرقام *",
    "Smoke rises over the port. [John Smith/Reuters]",
    "By Jane Doe",
    "فريق عمل الفاصل |",
    "أمن",
    "World",
    "",
]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(_POOL), st.sampled_from(["", " ", "\t", "\u00a0"])),
        min_size=1,
        max_size=25,
    ),
    st.sampled_from(["\n", "\r\n"]),
)
def test_nothing_is_lost_altered_or_invented(lines: list[tuple[str, str]], newline: str) -> None:
    text = newline.join(pad + line + pad for line, pad in lines)
    try:
        cleaned = clean_plain_text(text)
    except CleanError:
        return
    assume(cleaned.text)
    source = [line for line, _ in lines if line]
    kept = [line for block in split_blocks(cleaned.text) for line in block]
    # Every input line is either kept or listed as removed, unchanged...
    assert Counter(kept) + Counter(cleaned.removed) == Counter(source)
    # ...and both keep the input order.
    for subsequence in (kept, cleaned.removed):
        iterator = iter(source)
        assert all(line in iterator for line in subsequence)
