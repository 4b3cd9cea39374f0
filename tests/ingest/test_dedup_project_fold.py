"""The duplicate key is the project's text fold plus two extras of its own."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from raqib.ingest import dedup
from raqib.text.arabic import fold


@pytest.mark.parametrize(("text", "key"), [
    ("پاکستان و کرمان", "باكستان و كرمان"),  # Persian letters, as the project's fold reads them
    ("می\u200cخواهم", "ميخواهم"),  # a zero-width non-joiner is not a word break
    ("co\u00adop a\u200fb", "coop ab"),  # soft hyphen, bidi mark
    ("مؤتمر رئيس ٲ", "موتمر رييس ا"),  # hamza seats, a rarer alef form
    ("واشنطن ـ رويترز", "واشنطن رويترز"),  # a tatweel used as a dash is punctuation
    ("Café_Crème «x» — ٣٫٥٪", "cafe creme x 3 5"),  # extras: accents, punctuation runs
    ("ماء", "ماء"),  # a standalone hamza stays, as in the project's fold
])
def test_fold_text_examples(text: str, key: str) -> None:
    assert dedup.fold_text(text) == key


@given(st.text())
def test_fold_text_depends_only_on_the_project_fold(text: str) -> None:
    # What the matcher treats as one spelling is one spelling to duplicate detection.
    assert dedup.fold_text(text) == dedup.fold_text(fold(text))


def test_document_keys_agree_with_the_single_keys() -> None:
    text = "أعلنت السلطات ضبط شحنة أسلحة في ميناء عدن يوم الثلاثاء."
    keys = dedup.document_keys(text)
    assert keys.text_hash == dedup.normalized_text_hash(text)
    assert keys.sketch is not None and keys.sketch == dedup.minhash(text)
    assert keys.bands == dedup.band_keys(dedup.minhash(text)) and len(keys.bands) == dedup.BANDS
    empty = dedup.document_keys("«» — !")
    assert (empty.sketch, empty.bands) == (None, [])
    assert empty.text_hash == dedup.normalized_text_hash("")
