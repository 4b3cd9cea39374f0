"""The gazetteer: clitic-aware, longest-match, offsets in the original text."""

from __future__ import annotations

from raqib.kb.gazetteer import Gazetteer

FORMS = [
    ("الحوثيين", "armed_group:houthis", "alias"),
    ("الحوثيون", "armed_group:houthis", "alias"),
    ("بوتين", "person:putin", "alias"),
    ("فلاديمير بوتين", "person:putin", "name"),
    ("بوت", "person:bout", "alias"),
    ("موسكو", "location:moscow", "name"),
    ("وول ستريت جورنال", "media:wsj", "name"),
    ("Wall Street Journal", "media:wsj", "name"),
    ("U.S.", "state:us", "alias"),
    ("Houthis", "armed_group:houthis", "name"),
]


def found(text: str) -> list[tuple[str, str]]:
    gazetteer = Gazetteer(FORMS)
    return [(hit.text, hit.targets[0].entry_id) for hit in gazetteer.find(text)]


def test_proclitics_are_outside_the_span() -> None:
    assert found("يبيع أسلحة للحوثيين") == [("حوثيين", "armed_group:houthis")]
    assert found("والحوثيون يقولون") == [("الحوثيون", "armed_group:houthis")]
    assert found("وبموسكو أمس") == [("موسكو", "location:moscow")]
    assert found("وبوتين قال") == [("بوتين", "person:putin")]


def test_a_short_name_does_not_match_inside_a_longer_word() -> None:
    # "بوت" must not fire inside "بوتين", nor "موسكو" inside a longer word
    assert found("قال بوتين") == [("بوتين", "person:putin")]
    assert found("الموسكوفي") == []


def test_longest_match_wins() -> None:
    assert found("الرئيس فلاديمير بوتين") == [("فلاديمير بوتين", "person:putin")]


def test_orthographic_variants_and_diacritics_meet() -> None:
    text = "ذكرت صحيفة وُول سْتريت جورنال"
    assert found(text) == [("وُول سْتريت جورنال", "media:wsj")]


def test_offsets_point_into_the_original_text() -> None:
    text = "According to the Wall  Street Journal, the U.S. and the Houthis..."
    gazetteer = Gazetteer(FORMS)
    for hit in gazetteer.find(text):
        assert text[hit.start:hit.end] == hit.text
    assert [h.text for h in gazetteer.find(text)] == ["Wall  Street Journal", "U.S.", "Houthis"]


def test_empty_gazetteer_finds_nothing() -> None:
    assert Gazetteer([]).find("anything at all") == []
