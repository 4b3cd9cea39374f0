"""rules.yaml loads, and a malformed edit gets a message that names the key."""

from __future__ import annotations

from importlib import resources

import pytest
import yaml

from raqib.extract.rules import RulesError, load_rules, parse_rules
from raqib.text.arabic import fold


def bundled() -> dict:
    text = resources.files("raqib.extract").joinpath("data/rules.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def test_bundled_rules_load_with_folded_words() -> None:
    rules = load_rules()
    assert fold("أنه") in rules.claim_openers["ar"]
    assert "that" in rules.claim_openers["en"]
    assert fold("تقرير") in rules.document_nouns["ar"]
    assert rules.cue_max_distance["ar.role.maa"] == {"arms_transfer": 3}
    assert "shipment" in rules.cargo_units
    assert fold("الذي") in rules.relative_pronouns["ar"] and "who" in rules.relative_pronouns["en"]
    assert "," in rules.list_glue["en"] and "law enforcement" in rules.state_services["en"]
    assert "previously" in rules.earlier_markers["en"]


def test_an_added_word_is_loaded_folded() -> None:
    """A word an analyst adds to a list is in the parsed rules, folded like the rest."""
    data = bundled()
    data["relative_pronouns"]["en"].append("Whose")
    assert "whose" in parse_rules(data).relative_pronouns["en"]
    assert "whose" not in load_rules().relative_pronouns["en"]


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda d: d.pop("claim_openers"), "claim_openers"),
    (lambda d: d["subject_pronouns"].update(en=[True]), "subject_pronouns.en"),
    (lambda d: d["subject_pronouns"].update(fr=["il"]), "unknown language"),
    (lambda d: d["cue_max_distance"].update({"x": {"parade": 3}}), "unknown event"),
    (lambda d: d["cue_max_distance"].update({"x": {"meeting": -1}}), ">= 0"),
    (lambda d: d.update(cargo_units="crate"), "cargo_units"),
    (lambda d: d.pop("list_glue"), "list_glue"),
    (lambda d: d["earlier_markers"].update(en="previously"), "earlier_markers.en"),
])
def test_malformed_rules_name_the_key(mutate, message: str) -> None:
    data = bundled()
    mutate(data)
    with pytest.raises(RulesError, match=message):
        parse_rules(data)


def test_a_yaml_boolean_is_caught() -> None:
    data = bundled()
    data["cue_gap_words"]["en"] = yaml.safe_load("[the, on]")  # "on" reads as True
    with pytest.raises(RulesError, match="booleans"):
        parse_rules(data)


def test_news_role_word_lists_load_folded() -> None:
    """The lists of exceptives, objectless followers, pronoun objects and verb particles
    are loaded folded, and a malformed one is reported by name."""
    rules = load_rules()
    assert fold("إلا") in rules.exceptives["ar"] and "until" in rules.exceptives["en"]
    assert fold("في") in rules.objectless_followers["ar"]
    assert fold("عنهم") in rules.object_pronoun_words["ar"]
    assert fold("قد") in rules.verb_particles["ar"]
    assert fold("إنها") in rules.subject_pronouns["ar"]
    assert fold("العملية") in rules.operation_anaphors["ar"]
    for key in ("exceptives", "objectless_followers", "object_pronoun_words",
                "verb_particles", "operation_anaphors"):
        data = bundled()
        data.pop(key)
        with pytest.raises(RulesError, match=key):
            parse_rules(data)
