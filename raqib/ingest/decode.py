"""Raw bytes -> text: honour what the bytes declare, but check it, and detect otherwise.

Arabic news on the web comes in UTF-8, UTF-16, windows-1256 and ISO-8859-6, and the
declared charset is often wrong (a server default of ISO-8859-1 in front of windows-1256
pages is the classic). So every *declared* single-byte charset is only accepted when the
decoded text looks like language rather than mojibake; when nothing declared survives,
charset-normalizer guesses, and for Arabic we try windows-1256 before ISO-8859-6 and
before the exotic Arabic code pages, whose letter tables differ from windows-1256 in ways
no statistic over letters can see.

Order of evidence: byte-order mark, HTTP Content-Type charset, <meta charset> /
http-equiv / XML declaration in the first bytes, valid UTF-8, then detection.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator

import charset_normalizer
import regex

__all__ = ["DecodeError", "decode_bytes"]


class DecodeError(ValueError):
    """The bytes are not text we can read; the message is one line."""


# File-format facts, not tunable rules: the first bytes of common binary formats.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF file"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office file"),
    (b"\x7fELF", "an executable"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x00\x00\x01\x00", "an icon file"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x1aE\xdf\xa3", "a Matroska/WebM video"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Labels that browsers (WHATWG Encoding Standard) read differently from Python.
_LABEL_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "iso-8859-6-i": "iso8859-6",
    "iso-8859-6-e": "iso8859-6",
    "iso-8859-8-i": "iso8859-8",
    "x-mac-arabic": "mac-arabic",
    "x-sjis": "shift_jis",
}
_UNICODE = frozenset(
    {"utf-8", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"}
)
_ARABIC_FAMILY = frozenset({"cp1256", "iso8859-6", "mac-arabic", "cp864", "cp720"})
# windows-1256 first: it is what Arabic sites used, and ISO-8859-6 bytes decoded as
# windows-1256 (or the reverse) produce tell-tale mixed-script words that we reject.
_ARABIC_ORDER = ("cp1256", "iso8859-6")
# On short Western text the detector cannot tell windows-1252 from its Central/Baltic
# siblings; for the news this project reads, windows-1252 is by far the likelier.
_LATIN_FAMILY = frozenset(
    {
        "cp1250",
        "cp1252",
        "cp1257",
        "iso8859-2",
        "iso8859-4",
        "iso8859-10",
        "iso8859-13",
        "iso8859-15",
        "cp775",
        "cp850",
        "cp852",
        "mac-roman",
        "mac-latin2",
        "hp-roman8",
        "cp437",
        "cp858",
    }
)

_SNIFF_BYTES = 4096
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""")
_HEADER_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)

_SAMPLE_CHARS = 20_000
_DETECT_BYTES = 65_536
_MAX_MIXED = 0.03
_MAX_ODD = 0.2
# Letters with their combining marks: an Arabic vowel sign after a Latin letter is as
# telling as an Arabic letter (German "ö" read as windows-1256 becomes a kasra).
_LETTER_RUN = regex.compile(r"[\p{L}\p{M}]+")
_TAG = regex.compile(r"<[^<>]{0,2000}>")
_C1_CONTROLS = regex.compile(r"[\x80-\x9f]")
_BAD_CONTROLS = regex.compile(r"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
# Unicode blocks rather than Script properties, so that marks count with their block.
_SCRIPT_BLOCKS = {
    "L": ((0x41, 0x5A), (0x61, 0x7A), (0xC0, 0x24F), (0x1E00, 0x1EFF)),  # Latin
    "A": ((0x600, 0x6FF), (0x750, 0x77F), (0x8A0, 0x8FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    "C": ((0x400, 0x52F),),  # Cyrillic
    "G": ((0x370, 0x3FF), (0x1F00, 0x1FFF)),  # Greek
    "H": ((0x590, 0x5FF), (0xFB1D, 0xFB4F)),  # Hebrew
}
# str.translate table: every character of those blocks to its script's letter. Characters
# outside them map to themselves, and are dropped by the set intersection in the check.
_SCRIPT_OF = {
    code: script
    for script, ranges in _SCRIPT_BLOCKS.items()
    for low, high in ranges
    for code in range(low, high + 1)
}
_SCRIPT_LETTERS = frozenset(_SCRIPT_BLOCKS)
_CASE_FLIP = regex.compile(r"\p{Ll}\p{Lu}")
# Shift-JIS readings of single-byte text are full of half-width katakana, which real
# Japanese hardly uses; × and ÷ glued to letters are windows-1256/ISO-8859-6 confusions.
_HALFWIDTH_KANA = regex.compile(r"[\uff61-\uff9f]")
_GLUED_SIGN = regex.compile(r"\p{L}[×÷]|[×÷]\p{L}")
_HIGH_LATIN = regex.compile(r"[\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff]")


def decode_bytes(content: bytes, content_type: str | None = None) -> str:
    """Decode a fetched or saved document to text (without a byte-order mark).

    `content_type` is the HTTP Content-Type header value, if any. Raises DecodeError for
    empty input and for binary formats (PDF, images, archives, NUL-heavy data).
    """
    if not content:
        raise DecodeError("empty input: no bytes to decode")
    _reject_binary_signature(content)
    text = _decode(content, _header_charset(content_type))
    if not text.strip():
        raise DecodeError("empty input: only whitespace")
    sample = text[:_SAMPLE_CHARS]
    if len(_BAD_CONTROLS.findall(sample)) > 0.02 * len(sample):
        raise DecodeError("binary content: too many control characters to be text")
    return text


def _decode(content: bytes, header: str | None) -> str:
    """Try the evidence in order of strength; the first plausible reading wins."""
    for bom, encoding in _BOMS:
        if content.startswith(bom):
            return _decode_lenient(content[len(bom) :], encoding)
    for declared in (header, _sniffed_charset(content)):
        text = _try_declared(content, declared) if declared else None
        if text is not None:
            return text
    if _nul_share(content) > 0.01:
        return _decode_nul_heavy(content)
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _detect(content)


def _reject_binary_signature(content: bytes) -> None:
    for magic, what in _BINARY_SIGNATURES:
        if content.startswith(magic):
            raise DecodeError(f"binary content: looks like {what}, not text")


def _codec_name(label: str) -> str | None:
    """A Python codec name for a charset label, or None when Python has no such codec."""
    label = label.strip().strip("\"'").lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _LABEL_ALIASES.get(name, name)


def _header_charset(content_type: str | None) -> str | None:
    match = _HEADER_CHARSET.search(content_type or "")
    return _codec_name(match.group(1)) if match else None


def _sniffed_charset(content: bytes) -> str | None:
    """The charset the document declares about itself in its first bytes."""
    head = content[:_SNIFF_BYTES]
    match = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    if not match:
        return None
    name = _codec_name(match.group(1).decode("ascii", "ignore"))
    # A declaration we could read as ASCII cannot be UTF-16/32 (the WHATWG rule).
    if name and name.startswith(("utf-16", "utf-32")):
        return "utf-8"
    return name


def _try_declared(content: bytes, encoding: str) -> str | None:
    """Decode with a declared charset, or None when the declaration is not believable.

    Non-ASCII bytes that form valid UTF-8 are almost never an accident of another
    charset: a declaration that says otherwise is a server or template default that lies.
    """
    wide = encoding.startswith(("utf-16", "utf-32"))
    if wide and _is_multibyte_utf8(content):
        return content.decode("utf-8")
    if encoding in ("utf-16", "utf-32"):
        return _decode_unmarked_wide(content, encoding)
    try:
        text = content.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    if encoding in _UNICODE:
        return text
    if _is_multibyte_utf8(content):
        return content.decode("utf-8")
    return text if _looks_like_language(text) else None


def _decode_lenient(content: bytes, encoding: str) -> str:
    try:
        return content.decode(encoding)
    except UnicodeDecodeError:
        return content.decode(encoding, errors="replace")


def _is_multibyte_utf8(content: bytes) -> bool:
    if content.isascii():
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _nul_share(content: bytes) -> float:
    head = content[:_SNIFF_BYTES]
    return head.count(0) / len(head)


def _wide_layout(content: bytes, width: int) -> tuple[str, float]:
    """Endianness of unmarked UTF-16/32 ('le'/'be'), and how text-like the units are.

    Latin, Arabic, Cyrillic, Greek and Hebrew code points all have a high byte below
    0x30, so the byte position within each unit that is mostly small is the high byte;
    the share of units with a small high byte tells text from binary.
    """
    head = content[: _SNIFF_BYTES - _SNIFF_BYTES % width]
    units = max(len(head) // width, 1)
    small = [0] * width
    for i, byte in enumerate(head):
        if byte < 0x30:
            small[i % width] += 1
    if small[-1] >= small[0]:
        return "le", small[-1] / units
    return "be", small[0] / units


def _decode_unmarked_wide(content: bytes, family: str, min_share: float = 0.0) -> str | None:
    width = 2 if family == "utf-16" else 4
    endianness, share = _wide_layout(content, width)
    if share < min_share:
        return None
    try:
        return content.decode(f"{family}-{endianness}")
    except UnicodeDecodeError:
        return None


def _decode_nul_heavy(content: bytes) -> str:
    """NUL bytes mean UTF-16/32 without a mark, or binary data."""
    for family in ("utf-32", "utf-16"):
        text = _decode_unmarked_wide(content, family, min_share=0.9)
        if text is not None and "\x00" not in text[:_SNIFF_BYTES] and _looks_like_language(text):
            return text
    raise DecodeError("binary content: NUL bytes in data that is not UTF-16/32 text")


def _detect(content: bytes) -> str:
    """No believable declaration: ask charset-normalizer, then check its answer."""
    # The detector's time grows with the input; its first 64 KiB are evidence enough.
    matches = charset_normalizer.from_bytes(content[:_DETECT_BYTES])
    guesses = [_codec_name(match.encoding) for match in matches]
    readings: list[tuple[float, str]] = []
    for encoding in _candidate_order([g for g in guesses if g]):
        try:
            text = content.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        score = _mojibake_score(text)
        if score <= 1.0:
            return text
        readings.append((score, text))
    if readings:
        return min(readings, key=lambda reading: reading[0])[1]
    return content.decode("utf-8", errors="replace")


def _candidate_order(guesses: list[str]) -> Iterator[str]:
    """Detector guesses, with the common Arabic and Western code pages ahead of siblings."""
    seen: set[str] = set()
    order: list[str] = []
    if _ARABIC_FAMILY.intersection(guesses):
        # On short Arabic text the detector often ranks Thai or Cyrillic pages first;
        # the mixed-script check rejects an Arabic reading of non-Arabic bytes.
        order += _ARABIC_ORDER
    if guesses and guesses[0] in _LATIN_FAMILY:
        order.append("cp1252")
    order += guesses[:1] + list(_ARABIC_ORDER) + guesses[1:] + ["cp1252"]
    for encoding in order:
        if encoding not in seen:
            seen.add(encoding)
            yield encoding


def _looks_like_language(text: str) -> bool:
    return _mojibake_score(text) <= 1.0


def _mojibake_score(text: str) -> float:
    """How much `text` looks like a wrong decoding: up to 1.0 plausible, above it garbage.

    Signs, all rare in real writing and common in mojibake, counted over words that
    contain non-ASCII characters:
    - a word mixing two scripts (ISO-8859-6 read as windows-1256: "èزارة"), the
      strongest sign, tolerated in at most 3 % of the words;
    - a word made mostly of Latin-1 accented letters (Arabic read as windows-1252:
      "ÇáÑæÓí"), with a capital after a small letter (Arabic read as a Cyrillic code
      page: "ЗдГУдНЙ"), with half-width katakana (read as Shift-JIS), or a × or ÷
      glued to a letter ("ضب×"), tolerated in at most 20 %;
    - C1 control characters, which never occur in real text.
    """
    sample = _TAG.sub(" ", text[:_SAMPLE_CHARS])
    if _C1_CONTROLS.search(sample):
        return 100.0
    words = [w for w in _LETTER_RUN.findall(sample) if not w.isascii()]
    if not words:
        return 0.0
    mixed = sum(1 for w in words if _mixes_scripts(w))
    odd = sum(1 for w in words if _odd_letters(w)) + len(_GLUED_SIGN.findall(sample))
    return max(mixed / len(words) / _MAX_MIXED, odd / len(words) / _MAX_ODD)


def _mixes_scripts(word: str) -> bool:
    return len(_SCRIPT_LETTERS.intersection(word.translate(_SCRIPT_OF))) > 1


def _odd_letters(word: str) -> bool:
    if _CASE_FLIP.search(word) or _HALFWIDTH_KANA.search(word):
        return True
    return len(word) >= 3 and len(_HIGH_LATIN.findall(word)) >= 0.75 * len(word)
