"""Name-finding rules as data: titles before persons, heads of organisation names."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

from raqib.text.arabic import fold


class NameRulesError(ValueError):
    """The names rule file is malformed; the message names the key."""


@dataclass(frozen=True, slots=True)
class NameRules:
    person_titles: dict[str, tuple[str, ...]]
    ar_org_heads: frozenset[str]
    en_org_lead: tuple[str, ...]
    en_org_tail: frozenset[str]
    ar_stopwords: frozenset[str]
    en_stopwords: frozenset[str]


def _strings(data: dict, *keys: str) -> tuple[str, ...]:
    node = data
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise NameRulesError(f"names.yaml: missing key {'.'.join(keys)}")
        node = node[key]
    if not isinstance(node, list) or not all(isinstance(s, str) and s.strip() for s in node):
        raise NameRulesError(f"names.yaml: {'.'.join(keys)} must be a list of non-empty strings")
    return tuple(s.strip() for s in node)


def parse_name_rules(data: dict) -> NameRules:
    return NameRules(
        person_titles={lang: _strings(data, "person_titles", lang) for lang in ("ar", "en")},
        ar_org_heads=frozenset(fold(s) for s in _strings(data, "org_heads", "ar")),
        en_org_lead=_strings(data, "org_heads", "en_lead"),
        en_org_tail=frozenset(_strings(data, "org_heads", "en_tail")),
        ar_stopwords=frozenset(fold(s) for s in _strings(data, "name_stopwords", "ar")),
        en_stopwords=frozenset(_strings(data, "name_stopwords", "en")),
    )


@cache
def load_name_rules() -> NameRules:
    text = resources.files("raqib.extract").joinpath("data/names.yaml").read_text("utf-8")
    return parse_name_rules(yaml.safe_load(text))
