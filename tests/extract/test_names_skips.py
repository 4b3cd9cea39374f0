"""The English name finders' shortcuts change nothing.

`EnglishNames` skips runs that cannot meet a finder's cue (no verb of saying near a
would-be speaker, no place or organisation word in a would-be place or organisation) and
tests run openers on the word alone. These tests compare it with the same finders made to
read every run and every opener the long way, on generated English text built from the
words that matter (titles, verbs of saying, particles, ages, commas, place and
organisation words, initials, quotes, capitals) and on the corpus's English documents.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from raqib.extract.names import Candidate, EnglishNames, _EnglishDoc, load_name_rules
from tests.conftest import SHARED

RULES = load_name_rules()

VOCABULARY = [
    "said", "Said", "told", "according to", "added", "says", "SAID", "ſaid", ", 61,",
    ", aged 45,", ", the minister of defence,", "Mr.", "President", "spokesman", "leader of",
    "al-Assad", "al", "-", "Jaafari", "bin", "Salman", "de", "Mistura", "J.", "D.", "U.S.",
    "e.g.", "“J.D.”", "'Tex'", "of", "and", "the", "for", "&", "Ministry", "Defence",
    "Trading", "LLC", "Co.", "Co", ".", "Company's", "Task", "Force", "Office", "Foreign",
    "Assets", "Control", "province", "Province", "province-level", "Lake", "Chad", "Gulf",
    "Aden", "River", "in", "near", "Palmyra", "Syria", ",", ";", "(", ")", "ISIL", "OFAC",
    "KC-135R", "Hong", "Kong-based", "Viktor", "Bout", "Smith", "John", "Stephen",
    "Townsend", "Mahan", "Air", "Island's", "2024", "\n", "  ", "the", "a", "ship", "MV",
    "vessel", "named", "town of", "Hodeidah", "Kevin", "Mc", "McDonald", "İstanbul",
]


def texts() -> st.SearchStrategy[str]:
    words = st.lists(st.sampled_from(VOCABULARY), min_size=1, max_size=60)
    return words.map(lambda ws: " ".join(ws).replace(" \n ", "\n"))


class _EveryRun(EnglishNames):
    """The finders with no shortcut: every run is read, every opener read as a piece."""

    def _speaker_skip(self, doc: _EnglishDoc, verbs: list[int], i: int) -> int | None:
        return None

    def _place_skip(self, doc: _EnglishDoc, i: int) -> int | None:
        return None

    def _organisation_skip(self, doc: _EnglishDoc, i: int) -> int | None:
        return None


def _slow_opens_run(doc: _EnglishDoc, i: int) -> bool:
    piece = doc._piece(i, person=False, acronyms=True, numbers=False, particles=False)
    return piece is not None and piece.kind in ("cap", "acronym") \
        and doc.words[i].text not in RULES.en_stopwords


FAST = EnglishNames(RULES)
SLOW = _EveryRun(RULES)



def _find(names: EnglishNames, text: str, slow_openers: bool) -> list[Candidate]:
    """Run the finders as the entity extractor does: accepted spans are taken."""
    taken = bytearray(len(text))

    def free(start: int, end: int) -> bool:
        return taken.find(1, start, end) < 0

    original = _EnglishDoc._opens_run
    if slow_openers:
        _EnglishDoc._opens_run = _slow_opens_run  # type: ignore[method-assign]
    try:
        found = []
        for candidate in names.find(text, free, [], [], lambda offset: False):
            if free(candidate.start, candidate.end):
                taken[candidate.start:candidate.end] = b"\x01" * (candidate.end - candidate.start)
                found.append(candidate)
        return found
    finally:
        _EnglishDoc._opens_run = original  # type: ignore[method-assign]


def _same(text: str) -> None:
    assert _find(FAST, text, False) == _find(SLOW, text, True), text


@settings(max_examples=400, deadline=None)
@given(texts())
def test_shortcuts_change_no_candidate_on_generated_text(text: str) -> None:
    _same(text)


def test_shortcuts_change_no_candidate_on_the_corpus() -> None:
    paths = sorted((SHARED / "corpus" / "treasury").glob("*.txt"))[:10]
    paths += sorted((SHARED / "corpus" / "re3d" / "txt").rglob("*.txt"))[:20]
    assert len(paths) == 30
    for path in paths:
        _same(path.read_text(encoding="utf-8"))


def test_opener_agrees_with_the_piece_reader_on_every_word() -> None:
    text = " ".join(VOCABULARY) + " A . B C. x"
    doc = _EnglishDoc(text, RULES, lambda a, b: True, [], FAST.opener)
    assert [doc._opens_run(i) for i in range(len(doc.words))] == \
        [_slow_opens_run(doc, i) for i in range(len(doc.words))]


def test_a_speaker_is_still_found_past_a_long_apposition() -> None:
    text = "Viktor Bout, the arms dealer who was released in a prisoner swap, said on Monday"
    found = [c.name for c in _find(FAST, text, False) if c.type == "person"]
    assert found == ["Viktor Bout"]


def test_stop_after_in_a_long_capitalised_text() -> None:
    """Past the short scan, the full list answers the same."""
    words = ["Alpha"] * 200 + ["said"] + ["Beta"] * 10
    doc = _EnglishDoc(" ".join(words), RULES, lambda a, b: True, [], FAST.opener)
    assert doc.stop_after(0) == 200
    assert doc.stop_after(150) == 200
    assert doc.stop_after(201) == len(doc.words)




def test_a_dotted_initial_does_not_end_the_speaker_window() -> None:
    """"e.g." reads as initials inside a name, so the window runs to the name's end: the
    verb here is more than 140 characters after the first name word."""
    apposition = "the minister who has been in charge of the sprawling portfolio for many years now"
    text = (f"Maximilianusus e.g. Bartholomewssonius Christophersenius Wolfgangssonius, "
            f"{apposition}, said on Monday")
    name_end = text.index(",")
    assert text.index(" said") - text.index(" e.g.") > 140 > text.index(" said") - name_end
    found = [c.name for c in _find(FAST, text, False) if c.type == "person"]
    assert found and found[0].startswith("Maximilianusus")
    _same(text)
