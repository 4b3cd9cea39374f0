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
    claim_openers: dict[str, frozenset[str]]
    generic_recipients: dict[str, frozenset[str]]
    charge_markers: dict[str, frozenset[str]]
    cue_max_distance: dict[str, dict[str, int]]  # cue id -> event type -> tokens
    cue_gap_words: dict[str, frozenset[str]]
    possessive_pronouns: dict[str, frozenset[str]]
    subject_pronouns: dict[str, frozenset[str]]
    anaphora_determiners: dict[str, frozenset[str]]
    descriptor_heads: dict[str, frozenset[str]]
    relative_pronouns: dict[str, frozenset[str]]
    present_auxiliaries: dict[str, frozenset[str]]
    list_glue: dict[str, frozenset[str]]
    state_services: dict[str, frozenset[str]]
    earlier_markers: dict[str, frozenset[str]]
    exceptives: dict[str, frozenset[str]]
    objectless_followers: dict[str, frozenset[str]]
    object_pronoun_words: dict[str, frozenset[str]]
    verb_particles: dict[str, frozenset[str]]
    operation_anaphors: dict[str, frozenset[str]]
    cargo_units: frozenset[str]


class RulesError(ValueError):
    """rules.yaml is malformed; the message names the key."""


WORD_LISTS = ("document_nouns", "told_markers", "claim_openers",
              "generic_recipients", "charge_markers", "cue_gap_words", "possessive_pronouns",
              "subject_pronouns", "anaphora_determiners", "descriptor_heads",
              "relative_pronouns", "present_auxiliaries", "list_glue", "state_services",
              "earlier_markers", "exceptives", "objectless_followers",
              "object_pronoun_words", "verb_particles",
              "operation_anaphors")
EVENT_TYPES_FOR_LIMITS = ("arms_transfer", "seizure", "arrest", "extradition", "sentence",
                          "release", "sanction", "meeting")


def _word_list(data: dict, key: str) -> dict[str, frozenset[str]]:
    table = data.get(key)
    if not isinstance(table, dict) or not table:
        raise RulesError(f"rules.yaml: {key} must map language codes to word lists")
    out = {}
    for lang, words in table.items():
        if lang not in ("ar", "en"):
            raise RulesError(f"rules.yaml: {key}.{lang}: unknown language (ar or en)")
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip()
                                                  for w in words):
            raise RulesError(f"rules.yaml: {key}.{lang} must be a list of non-empty strings "
                             "(quote words YAML reads as booleans: \"on\", \"no\")")
        out[lang] = frozenset(fold(w) for w in words)
    return out


def _limits(data: dict) -> dict[str, dict[str, int]]:
    table = data.get("cue_max_distance")
    if not isinstance(table, dict):
        raise RulesError("rules.yaml: cue_max_distance must map cue ids to {event type: tokens}")
    out: dict[str, dict[str, int]] = {}
    for cue, limits in table.items():
        if not isinstance(limits, dict):
            raise RulesError(f"rules.yaml: cue_max_distance.{cue} must map event types to numbers")
        for event, tokens in limits.items():
            if event not in EVENT_TYPES_FOR_LIMITS:
                raise RulesError(f"rules.yaml: cue_max_distance.{cue}: unknown event {event!r}")
            if not isinstance(tokens, int) or tokens < 0:
                raise RulesError(f"rules.yaml: cue_max_distance.{cue}.{event} must be >= 0")
        out[str(cue)] = {str(t): int(n) for t, n in limits.items()}
    return out


def parse_rules(data: object) -> ExtractionRules:
    """Validate and fold the rules; raise RulesError naming the first bad key."""
    if not isinstance(data, dict):
        raise RulesError("rules.yaml must be a mapping of rule names")
    units = data.get("cargo_units")
    if not isinstance(units, list) or not all(isinstance(u, str) and u for u in units):
        raise RulesError("rules.yaml: cargo_units must be a list of unit names")
    lists = {key: _word_list(data, key) for key in WORD_LISTS}
    return ExtractionRules(**lists, cue_max_distance=_limits(data),
                           cargo_units=frozenset(units))


@cache
def load_rules() -> ExtractionRules:
    text = resources.files("raqib.extract").joinpath("data/rules.yaml").read_text("utf-8")
    return parse_rules(yaml.safe_load(text))
