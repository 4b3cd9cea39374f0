"""Extraction rules that are not per-language lexicon entries, read from data/rules.yaml.

Document nouns, pronouns, claim openers, generic recipients, charge markers and the
other word lists the event and attribution rules consult. An analyst extends them by
editing the YAML; `tests/extract/test_rules_data.py` loads and checks the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from raqib.text.arabic import fold


@dataclass(frozen=True, slots=True)
class ExtractionRules:
    document_nouns: dict[str, frozenset[str]]
    told_markers: dict[str, frozenset[str]]
    pronouns: dict[str, frozenset[str]]
    claim_openers: dict[str, frozenset[str]]
    generic_recipients: dict[str, frozenset[str]]
    charge_markers: dict[str, frozenset[str]]
    cue_max_distance: dict[str, dict[str, int]]  # cue id -> event type -> tokens
    cue_gap_words: dict[str, frozenset[str]]
    possessive_pronouns: dict[str, frozenset[str]]
    subject_pronouns: dict[str, frozenset[str]]
    anaphora_determiners: dict[str, frozenset[str]]
    cargo_units: frozenset[str]


@cache
def load_rules() -> ExtractionRules:
    text = resources.files("raqib.extract").joinpath("data/rules.yaml").read_text("utf-8")
    data = yaml.safe_load(text)

    def folded(key: str) -> dict[str, frozenset[str]]:
        return {lang: frozenset(fold(w) for w in words) for lang, words in data[key].items()}

    return ExtractionRules(
        document_nouns=folded("document_nouns"), told_markers=folded("told_markers"),
        pronouns=folded("pronouns"), claim_openers=folded("claim_openers"),
        generic_recipients=folded("generic_recipients"), charge_markers=folded("charge_markers"),
        cue_max_distance={str(cue): {str(t): int(n) for t, n in limits.items()}
                          for cue, limits in data["cue_max_distance"].items()},
        cue_gap_words=folded("cue_gap_words"), possessive_pronouns=folded("possessive_pronouns"),
        subject_pronouns=folded("subject_pronouns"),
        anaphora_determiners=folded("anaphora_determiners"),
        cargo_units=frozenset(data["cargo_units"]),
    )
