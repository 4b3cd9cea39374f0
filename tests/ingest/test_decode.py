"""decode_bytes: declared charsets are honoured when true, overridden when they lie."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from raqib.ingest.clean import clean_html, clean_plain_text
from raqib.ingest.decode import DecodeError, decode_bytes

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "clean"
HTML = (FIXTURES / "arms-seizure.ar.html").read_text("utf-8")
PLAIN = (FIXTURES / "arms-seizure.ar.txt").read_text("utf-8")
EXPECTED = (FIXTURES / "arms-seizure.ar.expected.txt").read_text("utf-8").rstrip("\n")
META = '<meta charset="utf-8">'
NO_META_HTML = HTML.replace(META + "\n", "")

# (Python codec used to save the file, label written in <meta> / the header)
SAVED_AS = [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8"),  # UTF-8 with a byte-order mark
    ("utf-16", "utf-16"),  # UTF-16 with a byte-order mark
    ("cp1256", "windows-1256"),
    ("iso8859-6", "iso-8859-6"),
]


def _with_meta(label: str) -> str:
    return HTML.replace(META, f'<meta charset="{label}">')


def test_fixture_is_encodable_and_the_encodings_really_differ() -> None:
    arabic_1256 = NO_META_HTML.encode("cp1256")
    arabic_iso = NO_META_HTML.encode("iso8859-6")
    assert arabic_1256 != arabic_iso
    assert arabic_1256 != NO_META_HTML.encode("utf-8")
    assert NO_META_HTML.encode("utf-16").startswith(codecs.BOM_UTF16_LE)


@pytest.mark.parametrize(("codec", "label"), SAVED_AS)
def test_html_with_meta_charset_gives_the_same_clean_text(codec: str, label: str) -> None:
    page = _with_meta(label)
    assert decode_bytes(page.encode(codec)) == page
    assert clean_html(decode_bytes(page.encode(codec))).text == EXPECTED


@pytest.mark.parametrize(("codec", "label"), SAVED_AS)
def test_html_without_meta_charset_gives_the_same_clean_text(codec: str, label: str) -> None:
    assert decode_bytes(NO_META_HTML.encode(codec)) == NO_META_HTML
    assert clean_html(decode_bytes(NO_META_HTML.encode(codec))).text == EXPECTED


@pytest.mark.parametrize(("codec", "label"), SAVED_AS)
def test_html_with_header_charset(codec: str, label: str) -> None:
    header = f"text/html; charset={label}"
    assert decode_bytes(NO_META_HTML.encode(codec), header) == NO_META_HTML


@pytest.mark.parametrize(("codec", "label"), SAVED_AS)
def test_plain_text_gives_the_same_clean_text(codec: str, label: str) -> None:
    assert decode_bytes(PLAIN.encode(codec)) == PLAIN
    assert clean_plain_text(decode_bytes(PLAIN.encode(codec))).text == EXPECTED


@pytest.mark.parametrize("document", [NO_META_HTML, PLAIN], ids=["html", "plain"])
def test_utf16le_without_bom_needs_and_honours_the_header(document: str) -> None:
    data = document.encode("utf-16-le")
    assert not data.startswith(codecs.BOM_UTF16_LE)
    assert decode_bytes(data, "text/plain; charset=UTF-16LE") == document
    assert decode_bytes(data, 'text/html; charset="utf-16"') == document
    # Without any declaration the NUL pattern still reveals little-endian UTF-16.
    assert decode_bytes(data) == document


def test_utf16be_without_bom_is_recognised() -> None:
    assert decode_bytes(PLAIN.encode("utf-16-be")) == PLAIN


def test_utf32_with_bom() -> None:
    assert decode_bytes(PLAIN.encode("utf-32")) == PLAIN


def test_bom_is_removed_and_wins_over_a_wrong_header() -> None:
    data = codecs.BOM_UTF8 + PLAIN.encode("utf-8")
    assert decode_bytes(data, "text/plain; charset=windows-1256") == PLAIN


def test_http_equiv_content_type_is_read() -> None:
    page = HTML.replace(
        META, '<meta http-equiv="Content-Type" content="text/html; charset=windows-1256">'
    )
    assert decode_bytes(page.encode("cp1256")) == page


def test_meta_that_lies_iso_8859_1_for_windows_1256() -> None:
    page = _with_meta("iso-8859-1")
    data = page.encode("cp1256")
    assert decode_bytes(data) == page
    assert clean_html(decode_bytes(data)).text == EXPECTED


def test_header_that_lies_iso_8859_1_for_windows_1256() -> None:
    data = NO_META_HTML.encode("cp1256")
    assert decode_bytes(data, "text/html; charset=ISO-8859-1") == NO_META_HTML


def test_header_lies_but_meta_is_right() -> None:
    page = _with_meta("windows-1256")
    assert decode_bytes(page.encode("cp1256"), "text/html; charset=iso-8859-1") == page


def test_header_windows_1256_for_iso_8859_6_bytes() -> None:
    data = PLAIN.encode("iso8859-6")
    assert decode_bytes(data, "text/plain; charset=windows-1256") == PLAIN


def test_header_iso_8859_6_for_windows_1256_bytes() -> None:
    data = PLAIN.encode("cp1256")
    assert decode_bytes(data, "text/plain; charset=iso-8859-6") == PLAIN


def test_server_default_latin1_in_front_of_utf8() -> None:
    assert decode_bytes(PLAIN.encode("utf-8"), "text/plain; charset=ISO-8859-1") == PLAIN


@pytest.mark.parametrize("label", ["utf-16", "UTF-16LE", "utf-16be", "utf-32"])
def test_header_says_utf16_for_utf8_bytes(label: str) -> None:
    assert decode_bytes(PLAIN.encode("utf-8"), f"text/plain; charset={label}") == PLAIN


def test_header_says_utf8_for_windows_1256_bytes() -> None:
    assert decode_bytes(PLAIN.encode("cp1256"), "text/plain; charset=utf-8") == PLAIN


def test_seed_round_trips_in_unicode_encodings(seed_path: Path) -> None:
    seed = seed_path.read_text("utf-8")
    for codec in ("utf-8", "utf-8-sig", "utf-16", "utf-32"):
        assert decode_bytes(seed.encode(codec)) == seed


@pytest.mark.parametrize(
    ("text", "codec"),
    [
        ("Les autorités françaises ont saisi des armes à la frontière près de Besançon.", "cp1252"),
        ("Die Behörden haben im Hafen von Hamburg Waffen beschlagnahmt. Größere Mengen.", "cp1252"),
        ("Российские власти задержали торговца оружием в Москве в прошлом месяце.", "cp1251"),
    ],
)
def test_other_legacy_encodings(text: str, codec: str) -> None:
    assert decode_bytes(text.encode(codec)) == text


@pytest.mark.parametrize(
    "data",
    [
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        b"\xff\xd8\xff\xe0\x00\x10JFIF\x00",
        b"GIF89a\x01\x00\x01\x00",
        b"PK\x03\x04\x14\x00\x06\x00",
        b"\x1f\x8b\x08\x00\x00\x00\x00\x00",
        bytes(range(256)) * 8,
        b"\x00\x00\x00\x01\x02\x00\x00\xff" * 500,
    ],
    ids=["pdf", "png", "jpeg", "gif", "zip", "gzip", "all-bytes", "nul-heavy"],
)
def test_binary_is_refused_with_a_one_line_message(data: bytes) -> None:
    with pytest.raises(DecodeError) as info:
        decode_bytes(data)
    assert "binary" in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n"])
def test_empty_input_is_refused(data: bytes) -> None:
    with pytest.raises(DecodeError, match="empty"):
        decode_bytes(data)


def test_decode_error_is_a_value_error() -> None:
    assert issubclass(DecodeError, ValueError)


def test_unknown_charset_label_is_ignored() -> None:
    assert decode_bytes(PLAIN.encode("utf-8"), "text/plain; charset=x-no-such-thing") == PLAIN


_text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")), min_size=1)


@settings(max_examples=200, deadline=None)
@given(_text)
def test_utf8_round_trip(text: str) -> None:
    assume(text.strip() and not text.startswith("\ufeff"))
    assert decode_bytes(text.encode("utf-8")) == text


@settings(max_examples=200, deadline=None)
@given(_text)
def test_utf16_with_bom_round_trip(text: str) -> None:
    assume(text.strip() and not text.startswith("\ufeff"))
    assert decode_bytes(text.encode("utf-16")) == text


# Real words, not random letters: detection is statistical and needs language-like text.
_VOCABULARY_TEXT = (
    "في من على إلى أن قال وزارة الدفاع الأسلحة شحنة ميناء السلطات مصدر أمني الحكومة "
    "الجيش صواريخ ذخيرة تهريب البحر الأحمر اليمن سوريا العراق ليبيا بيع شراء صفقة "
    "مسؤول رسمي تقرير الأمم المتحدة عقوبات طائرات مسيرة قوات ضبط اعتقال التحقيق "
    "الحدود عبر خلال العام الماضي الشهر يوم الاثنين الثلاثاء مليون دولار"
)
_ARABIC_VOCABULARY = _VOCABULARY_TEXT.split()
# Distinct words: a short run of one repeated word is not language, and detectors agree.
_arabic_words = st.lists(st.sampled_from(_ARABIC_VOCABULARY), min_size=8, max_size=40, unique=True)


@settings(max_examples=100, deadline=None)
@given(_arabic_words, st.sampled_from(["cp1256", "iso8859-6"]))
def test_arabic_legacy_round_trip(words: list[str], codec: str) -> None:
    text = " ".join(words) + "."
    assert decode_bytes(text.encode(codec)) == text
