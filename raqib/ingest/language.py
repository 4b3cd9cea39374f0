"""Which language is a document written in? Offline, ISO 639-1, "und" when undecidable.

Most of what Raqib reads is Arabic, and Arabic script text without the letters that only
Persian, Urdu and their neighbours use is Arabic: a character count decides that in
microseconds. Everything else goes to lingua, restricted to the languages this project
reads (data/languages.yaml), which keeps it fast and avoids confusions with languages
that never occur in our sources.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import regex
import yaml
from lingua import IsoCode639_1, Language, LanguageDetector, LanguageDetectorBuilder

__all__ = ["UNDETERMINED", "detect_language"]

UNDETERMINED = "und"
_LETTER = regex.compile(r"\p{L}")
_ARABIC_LETTER = regex.compile(r"(?=\p{L})\p{Script=Arabic}")


@dataclass(frozen=True, slots=True)
class _Settings:
    candidates: tuple[str, ...]
    non_arabic_letters: regex.Pattern[str]
    arabic_share: float
    sample_chars: int


@cache
def _settings() -> _Settings:
    raw = yaml.safe_load(
        resources.files("raqib.ingest").joinpath("data/languages.yaml").read_text("utf-8")
    )
    return _Settings(
        candidates=tuple(raw["candidates"]),
        non_arabic_letters=regex.compile(rf"(?=\p{{L}}){raw['non_arabic_letters']}"),
        arabic_share=float(raw["arabic_share"]),
        sample_chars=int(raw["sample_chars"]),
    )


@cache
def _detector() -> LanguageDetector:
    """Built once per process; low-accuracy mode is enough for article-length text."""
    languages = [
        Language.from_iso_code_639_1(getattr(IsoCode639_1, code.upper()))
        for code in _settings().candidates
    ]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of the main language of `text`, or "und" when it has no letters."""
    settings = _settings()
    sample = text[: settings.sample_chars]
    letters = len(_LETTER.findall(sample))
    if not letters:
        return UNDETERMINED
    arabic = len(_ARABIC_LETTER.findall(sample))
    if arabic > settings.arabic_share * letters and not settings.non_arabic_letters.search(sample):
        return "ar"
    found = _detector().detect_language_of(sample)
    if found is None:
        return UNDETERMINED
    return found.iso_code_639_1.name.lower()
