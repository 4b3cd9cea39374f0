"""`fold_key`, the knowledge base's collision key, is the matcher's fold minus an article."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from raqib.extract.lexicons import fold as matcher_fold
from raqib.kb import fold_key


@pytest.mark.parametrize(("form", "key"), [
    ("الأميركي", "اميركي"),  # the attached article goes, hamza-on-alef folds
    ("ال سعود", "ال سعود"),  # a detached ال is a word (the family), not an article
    ("ال", "ال"),
    ("  THE   Guardian ", "guardian"),
    ("The", "the"),
    ("پاکستان", "باكستان"),  # Persian letters, as the matcher folds them
    ("رئيس مؤتمر", "رييس موتمر"),  # hamza seats
    ("قمر-٢", "قمر-2"),  # Arabic-Indic digits
    ("ﺍﻟﻘﺎﻋﺪﺓ", "قاعده"),  # presentation forms, then the article
    ("حزب\u200cالله", "حزبالله"),  # an invisible joiner control is removed
])
def test_fold_key_examples(form: str, key: str) -> None:
    assert fold_key(form) == key


@given(st.text())
def test_fold_key_depends_only_on_the_matchers_key(text: str) -> None:
    # So two forms the matcher cannot tell apart always collide here.
    assert fold_key(text) == fold_key(matcher_fold(text))
