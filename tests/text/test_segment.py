"""Sentences and paragraphs (raqib.text.segment)."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from raqib.model import Span
from raqib.text.segment import paragraphs, sentences


def texts(text: str) -> list[str]:
    return [s.text for s in sentences(text)]


def assert_spans_cover(text: str, spans: list[Span]) -> None:
    """Spans are exact, stripped, in order, disjoint, and hold all non-space text."""
    prev = 0
    for s in spans:
        assert text[s.start:s.end] == s.text
        assert s.text and s.text == s.text.strip()
        assert s.start >= prev
        assert not text[prev:s.start].strip()
        prev = s.end
    assert not text[prev:].strip()


# The body of the seed article, paragraph by paragraph, and the sentences each must give
# (read and checked by hand: full stops end sentences, the Arabic comma and quoted
# clauses do not).
SEED_BODY = [
    [
        "ذكرت صحيفة وول ستريت جورنال في 6 تشرين الأول/أكتوبر أن تاجر أسلحة روسيا قضى عقدا"
        " من الوقت في سجن أميركي يحاول بيع الأسلحة للحوثيين في اليمن.",
    ],
    [
        "وقالت وول ستريت جورنال إنه \"عندما توجه مبعوثو الحوثيين إلى موسكو في آب/أغسطس"
        " للتفاوض على شراء أسلحة أوتوماتيكية بقيمة 10 ملايين دولار، التقوا بوجه مألوف هو"
        " بوت ذو الشارب\".",
    ],
    [
        "ولُقب بوت بـ \"تاجر الموت\"، وقام ببيع الأسلحة إلى دول مارقة وجماعات متمردة في"
        " مختلف أنحاء إفريقيا وأميركا الجنوبية والشرق الأوسط.",
    ],
    [
        "وفي عام 2012، حكمت محكمة في مانهاتن على بوت بالسجن مدة 25 عاما.",
        "وعاد إلى روسيا بعد صفقة تبادل سجناء في كانون الأول/ديسمبر 2022.",
    ],
    ["دمية في يد القوى الخارجية"],
    [
        "وأضاف ليندركينغ \"لدينا تأكيد بأن الروس والحوثيين في حوار بشأن سبل للتعاون"
        " بينهما\".",
    ],
    [
        "وتابع \"لقد وصل الأمر إلى حد أننا جميعا ندق ناقوس الخطر لضمان عدم حصول [تسليم"
        " الأسلحة] هذا\".",
    ],
    [
        "ورأى ليندركينغ أن عمليات نقل الأسلحة \"يمكن أن تغير مسار الصراع بشكل كبير\"،"
        " محذرا من \"التصعيد\" الذي من شأنه أن يُفشل الجهود الرامية إلى إنهاء الحرب"
        " المستمرة منذ عقد من الزمن في اليمن.",
    ],
    ["هل أعجبك هذا المقال؟"],
]


def test_seed_sentences(seed_path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    spans = sentences(text)
    assert_spans_cover(text, spans)
    got = [s.text for s in spans]
    for expected in SEED_BODY:
        first = got.index(expected[0])
        assert got[first:first + len(expected)] == expected
    # the headline and the section label are sentences of their own
    assert got[:2] == ["أمن", "’تاجر الموت‛ الروسي يعود لبيع الأسلحة في اليمن"]
    # the photo caption line and its credit line
    assert got[3].endswith("آذار/مارس 2023.")
    assert got[4] == "[ألكسندر نيمينوف/وكالة الصحافة الفرنسية]"
    assert len(got) == 28


def test_seed_paragraphs(seed_path) -> None:
    text = seed_path.read_text(encoding="utf-8")
    paras = paragraphs(text)
    assert_spans_cover(text, paras)
    assert paras[0].text == "أمن"
    assert paras[3].text.count("\n") == 1  # the caption and its repetition
    assert paras[-1].text == "يرجى إدخال الأرقام *"


@pytest.mark.parametrize(("text", "expected"), [
    # Arabic: ؟ ! … ۔ end; the comma does not
    ("هل أعجبك هذا المقال؟ يرجى إدخال الأرقام", ["هل أعجبك هذا المقال؟", "يرجى إدخال الأرقام"]),
    ("قال، إن الوضع خطير! وأضاف", ["قال، إن الوضع خطير!", "وأضاف"]),
    ("انتظروا… ثم غادروا۔ وعادوا", ["انتظروا…", "ثم غادروا۔", "وعادوا"]),
    # a full stop inside a quoted clause
    ('وقال إنه "عندما توجه. التقوا بوجه مألوف". وأضاف أنه غادر.',
     ['وقال إنه "عندما توجه. التقوا بوجه مألوف".', "وأضاف أنه غادر."]),
    ("وقال «هذا خطير. ويجب وقفه» مضيفا أن الوضع صعب. وتابع",
     ["وقال «هذا خطير. ويجب وقفه» مضيفا أن الوضع صعب.", "وتابع"]),
    ('He said "We will fight. They will lose." Then he left.',
     ['He said "We will fight. They will lose."', "Then he left."]),
    ("She called it ‘a farce. A total farce’ and left. Nobody stayed.",
     ["She called it ‘a farce. A total farce’ and left.", "Nobody stayed."]),
    # apostrophes are not quotes
    ("Lebanon’s army moved. The states’ envoys met. It’s over.",
     ["Lebanon’s army moved.", "The states’ envoys met.", "It’s over."]),
    # abbreviations, initials, decimals
    ("Gen. Joseph Votel met U.S. officials on Dec. 5. The talks ended.",
     ["Gen. Joseph Votel met U.S. officials on Dec. 5.", "The talks ended."]),
    ("Troops left the U.S. The army said so.", ["Troops left the U.S.", "The army said so."]),
    ("J. R. R. Tolkien wrote it. He died in 1973.",
     ["J. R. R. Tolkien wrote it.", "He died in 1973."]),
    ("Prices rose 2.5 percent. Then they fell, e.g. in May. Mr. Smith agreed.",
     ["Prices rose 2.5 percent.", "Then they fell, e.g. in May.", "Mr. Smith agreed."]),
    ("between 11-13 Dec. The attacks followed.", ["between 11-13 Dec.", "The attacks followed."]),
    ("It costs approx. five dollars. Fine.", ["It costs approx. five dollars.", "Fine."]),
    ("قال د. محمد إن الوضع خطير. وغادر.", ["قال د. محمد إن الوضع خطير.", "وغادر."]),
    # a full stop typed without a space, and Wikipedia notes
    ("those in need.And most of all, peace.", ["those in need.", "And most of all, peace."]),
    ("an artillery round.[1] On December 7 it ended.",
     ["an artillery round.[1]", "On December 7 it ended."]),
])
def test_sentence_rules(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # headlines and labels without a full stop end at the line break
    ("دمية في يد القوى الخارجية\nويشكل التقرير أحدث مثال.",
     ["دمية في يد القوى الخارجية", "ويشكل التقرير أحدث مثال."]),
    ("Raqqa in Next Isolation Phase\nElsewhere, forces advanced.",
     ["Raqqa in Next Isolation Phase", "Elsewhere, forces advanced."]),
    # a wrapped line goes on
    ("Davis said the U.S.-led\ncoalition\n conducted five airstrikes.",
     ["Davis said the U.S.-led\ncoalition\n conducted five airstrikes."]),
    ("قال المبعوث إن\nموسكو تبرم صفقات.", ["قال المبعوث إن\nموسكو تبرم صفقات."]),
    ("ذكرت الصحيفة،\nأن الكرملين وافق.", ["ذكرت الصحيفة،\nأن الكرملين وافق."]),
    # bullets typed as "." belong to their line; a lone closing quote to the sentence
    ("Syria\n.\u00a0\u00a0Near X, one strike.\n. Near Y, two.",
     ["Syria", ".\u00a0\u00a0Near X, one strike.", ". Near Y, two."]),
    ('"I know. Stop!\n"\nNext.', ['"I know. Stop!\n"', "Next."]),
])
def test_line_rules(text: str, expected: list[str]) -> None:
    assert texts(text) == expected


def test_long_quotations_are_split() -> None:
    quote = " ".join(f"Sentence number {i} is here." for i in range(20))
    text = f'He said, "{quote}" Then he left.'
    assert len(texts(text)) == 21


def test_paragraphs() -> None:
    text = "  a b\n\n  \nc\r\n\r\nd\ne\u2029f  "
    assert [(p.text, p.start, p.end) for p in paragraphs(text)] == [
        ("a b", 2, 5), ("c", 10, 11), ("d\ne", 15, 18), ("f", 19, 20),
    ]
    assert paragraphs("") == [] and sentences(" \n ") == []


def test_rejects_non_text() -> None:
    with pytest.raises(TypeError):
        sentences(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        paragraphs(b"x")  # type: ignore[arg-type]


PIECES = st.sampled_from(
    [*"ab .?!؟…\n\n\"'«»“”’‘()[]،U.S\u00a0\u2029\r", "Dr.", "بوت", "e.g.", "2.5", "The"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_sentences_cover_all_text(text: str) -> None:
    assert_spans_cover(text, sentences(text))
    assert_spans_cover(text, paragraphs(text))


def test_re3d_english_texts(shared_dir: Path) -> None:
    re3d = shared_dir / "corpus" / "re3d" / "txt"
    files = sorted(re3d.glob("*/*.txt"))
    assert len(files) >= 90
    for path in files:
        text = path.read_text(encoding="utf-8")
        spans = sentences(text)
        assert_spans_cover(text, spans)
        assert all(re.search(r"\w", s.text) for s in spans), path
    booker = (re3d / "centcom" / "5FBCC6E1D5B4B2A699196670789C6B0B.txt").read_text(encoding="utf-8")
    assert texts(booker) == [
        "The Department of Defense announced today the death of a soldier who was"
        " supporting Operation Inherent Resolve.",
        "Spc. Isiah L. Booker, of Cibolo, Texas, died Jan. 7, in Jordan, in a non-combat"
        " related incident.",
        "The incident is under investigation.",
        "Booker was assigned to 2nd Battalion, 5th Special Forces Group, Fort Campbell,"
        " Kentucky.",
        "For more information, media may contact the U.S. Army Special Operations Command"
        " Public Affairs Office at 910-432-3383.",
    ]
    dorrian_path = re3d / "centcom" / "6874F49C56340E2BD65BF958916C97AE.txt"
    dorrian = dorrian_path.read_text(encoding="utf-8")
    got = texts(dorrian)
    assert len(got) == 8
    assert got[2].startswith("“The CJTF-OIR commanding general, Lt. Gen. Stephen J. Townsend")
    assert got[2].endswith("the CJTF-OIR spokesperson.")
    assert got[3] == "“We will not allow ISIL to maintain capabilities that threaten Coalition or" \
        " partner forces.”"


def test_abbreviation_data_is_valid() -> None:
    path = resources.files("raqib.text").joinpath("data", "abbreviations.yaml")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("never_final", "maybe_final"):
        assert all(isinstance(w, str) and w.endswith(".") and " " not in w for w in data[key])
    for key in ("sentence_starters", "continuation_words", "continuation_marks"):
        assert all(isinstance(w, str) and w for w in data[key]), key
    assert not set(data["never_final"]) & set(data["maybe_final"])
    assert data["max_quote_chars"] > 50
