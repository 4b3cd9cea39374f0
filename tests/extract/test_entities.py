"""Entities of the seed and of hand-written sentences, with the right types and links."""

from __future__ import annotations

import functools
import itertools
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from raqib.extract import names as names_module
from raqib.extract.entities import EntityExtractor
from raqib.extract.names import NameRulesError, load_name_rules, parse_name_rules
from raqib.kb.gazetteer import Gazetteer
from raqib.kb.loader import load_kb
from raqib.model import Document
from raqib.ner.model import load_model
from raqib.pipeline import extract
from raqib.text.arabic import normalize
from tests.conftest import SHARED


def entities_of(text: str, language: str) -> dict[str, tuple[str, str | None, list[str]]]:
    result = extract(Document.from_text(text, source="test", language=language))
    mentions: dict[str, list[str]] = {}
    for mention in result.mentions:
        assert text[mention.start:mention.end] == mention.text
        mentions.setdefault(mention.entity, []).append(mention.text)
    return {e.name: (e.type, e.kb_id, mentions.get(e.id, [])) for e in result.entities}


def test_gold_entities_of_the_seed_are_found_with_their_types() -> None:
    gold = [json.loads(line) for line in (SHARED / "corpus/gold/dev.jsonl").open(encoding="utf-8")]
    seed = next(g for g in gold if g["file"] == "seed/bout-houthis.ar.txt")
    from raqib.ingest.clean import clean_plain_text

    text = clean_plain_text((SHARED / seed["file"]).read_text("utf-8")).text
    found = entities_of(text, "ar")
    for entity in seed["entities"]:
        if entity["name"] == "Moscow" or entity["type"] == "weapon":
            continue  # checked below: Moscow is both a place and Russia's metonym
        assert entity["name"] in found, entity["name"]
        assert found[entity["name"]][0] == entity["type"], entity["name"]
    assert found["Moscow"][0] == "location"
    assert found["automatic weapons"][0] == "weapon"
    assert found["missiles"][0] == "weapon"


def test_clitics_and_surname_coreference() -> None:
    text = ("قال المبعوث إن فيكتور بوت يحاول بيع أسلحة للحوثيين. "
            "وأضاف أن بوت التقى وفدا من الحوثيين في موسكو، ولم يرد بوتين.")
    found = entities_of(text, "ar")
    assert found["Viktor Bout"][2] == ["فيكتور بوت", "بوت"]
    assert found["Houthis"][2] == ["حوثيين", "الحوثيين"]
    assert found["Vladimir Putin"][2] == ["بوتين"]  # not Bout's surname inside Putin


def test_unknown_persons_after_titles_are_new_entities() -> None:
    text = ("وقال المتحدث باسم الوزارة سامر الحداد إن الشحنة ضبطت. "
            "Attorney General Karen Whitfield said the broker was arrested.")
    found = entities_of(text, "ar")
    assert found["سامر الحداد"][:2] == ("person", None)
    english = entities_of("Attorney General Karen Whitfield said the broker was arrested.", "en")
    assert english["Karen Whitfield"][:2] == ("person", None)


def test_english_organisations_by_their_heads() -> None:
    found = entities_of("The Ministry of Defence said Blue Horizon Trading LLC shipped rifles.",
                        "en")
    assert found["Blue Horizon Trading LLC"][0] == "organization"


# --- names the knowledge base does not know -------------------------------------------------
# All names below are invented, so that the rules (not the knowledge base) must find them.


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    kb = load_kb()
    gazetteer = Gazetteer((form, entry.id, kind)
                          for entry in kb for form, _lang, kind in entry.surface_forms())
    return EntityExtractor(kb, gazetteer, load_name_rules())


def found_in(extractor: EntityExtractor, text: str, language: str = "en",
             ) -> dict[str, tuple[str, list[str], list[str]]]:
    """name -> (type, mention texts, found_by), checking the contract on the way."""
    result = extractor.extract(text, normalize(text), language)
    mentions: dict[str, list[str]] = {}
    ends = []
    for mention in result.mentions:
        assert text[mention.start:mention.end] == mention.text
        mentions.setdefault(mention.entity, []).append(mention.text)
        ends.append((mention.start, mention.end))
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(ends)), "mentions overlap"
    return {e.name: (e.type, mentions[e.id], e.found_by) for e in result.entities}


def test_name_rules_load_and_bad_files_are_refused() -> None:
    rules = load_name_rules()
    assert "Lt. Gen." in rules.person_titles["en"] and "Operation" in rules.blocked_leads
    assert rules.en_org_tail["LLC"] == "organization" and rules.en_org_tail["Brigade"] == \
        "armed_group"
    assert "Secretary" in rules.not_name_words  # titles never belong to a person's name
    data = yaml.safe_load(
        (Path(names_module.__file__).parent / "data/names.yaml").read_text("utf-8"))
    broken = {**data, "saying_verbs": {"en": ["said", 3]}}
    with pytest.raises(NameRulesError, match=r"saying_verbs\.en"):
        parse_name_rules(broken)
    with pytest.raises(NameRulesError, match="missing key vessel_prefixes"):
        parse_name_rules({k: v for k, v in data.items() if k != "vessel_prefixes"})
    tails = {**data["org_heads"], "en_tail": {"company": ["Ltd"]}}
    with pytest.raises(NameRulesError, match="unknown type 'company'"):
        parse_name_rules({**data, "org_heads": tails})


def test_an_operation_name_is_no_entity_and_a_title_alone_no_person(extractor) -> None:
    found = found_in(extractor, "Operation Desert Lantern said it struck targets. The "
                                "Secretary said the talks would resume.")
    assert found == {}


def test_titles_with_initials_and_particles(extractor) -> None:
    found = found_in(extractor, "Lt. Gen. Marcus J. Whitby said the strikes would go on. "
                                "Foreign Minister Adel al-Hakimi met Defense Secretary Paul "
                                "Renner. Later al-Hakimi flew home.")
    assert found["Marcus J. Whitby"][:2] == ("person", ["Marcus J. Whitby"])
    assert found["Adel al-Hakimi"][:2] == ("person", ["Adel al-Hakimi", "al-Hakimi"])
    assert found["Paul Renner"][:2] == ("person", ["Paul Renner"])
    assert set(found) == {"Marcus J. Whitby", "Adel al-Hakimi", "Paul Renner"}


def test_a_comma_after_a_title_and_a_nickname_inside_a_name(extractor) -> None:
    found = found_in(extractor, "She met the Foreign Minister, Samir al- Qadi, in Rome. "
                                "“Yes,” said Col. Dan “D.J.” Mercer, the spokesman.")
    assert found["Samir al-Qadi"][:2] == ("person", ["Samir al- Qadi"])
    assert found["Dan Mercer"][:2] == ("person", ["Dan “D.J.” Mercer"])


def test_speakers_of_said_in_both_orders_and_with_appositions(extractor) -> None:
    found = found_in(extractor, "Karim Haddad, 61, runs a shop. Mr. Haddad said business was "
                                "slow, and Haddad's son agreed. Karim smiled. \"We will "
                                "rebuild,\" said Lina Sabbagh, a teacher. Omar Tarek, the "
                                "company's lawyer, told reporters nothing. According to Nadia "
                                "Farouk the deal collapsed.")
    assert found["Karim Haddad"][:2] == ("person", ["Karim Haddad", "Haddad", "Haddad", "Karim"])
    for name in ("Lina Sabbagh", "Omar Tarek", "Nadia Farouk"):
        assert found[name][:2] == ("person", [name])
    assert len(found) == 4


def test_organisations_by_their_heads_and_legal_forms(extractor) -> None:
    found = found_in(extractor, "The Ministry of Water Resources and the Department of Fisheries "
                                "met the Northern Hawks Brigade. Blue Horizon Trading LLC "
                                "shipped parts through Crescent Shipping Co. and Crescent "
                                "Shipping paid. Nasser Trading Company and Blue Sky Maritime "
                                "Services both paid.")
    assert found["Ministry of Water Resources"][0] == "organization"
    assert found["Department of Fisheries"][0] == "organization"
    assert found["Northern Hawks Brigade"][0] == "armed_group"
    assert found["Blue Horizon Trading LLC"][0] == "organization"
    assert found["Crescent Shipping Co."][:2] == ("organization",
                                                  ["Crescent Shipping Co.", "Crescent Shipping"])
    assert found["Nasser Trading Company"][0] == "organization"  # "and" joins no two names
    assert found["Blue Sky Maritime Services"][0] == "organization"


def test_an_acronym_in_parentheses_joins_the_name_before_it(extractor) -> None:
    found = found_in(extractor, "The Office of Maritime Interdiction (OMI) seized the cargo. "
                                "OMI said more would follow. The Desert Hawk Brigade (XYZ) "
                                "denied it.")
    assert found["Office of Maritime Interdiction"][1] == [
        "Office of Maritime Interdiction", "OMI", "OMI"]
    assert "rule:acronym-definition" in found["Office of Maritime Interdiction"][2]
    assert found["Desert Hawk Brigade"][1] == ["Desert Hawk Brigade"]  # XYZ abbreviates nothing


def test_ships_by_prefix_with_hull_number_and_later_bare_name(extractor) -> None:
    found = found_in(extractor, "HMS Valiant (F 91) shadowed M/V Sea Lark, and Sea Lark "
                                "turned back.")
    assert found["HMS Valiant"][:2] == ("vessel", ["HMS Valiant", "F 91"])
    assert found["M/V Sea Lark"][:2] == ("vessel", ["M/V Sea Lark", "Sea Lark"])


def test_places_need_a_cue(extractor) -> None:
    found = found_in(extractor, "Fighting spread to the town of Qarat Zaid and to Baraka "
                                "province. Near Tell Hamra, two strikes hit. He stayed in "
                                "Warda all week.")
    assert found["Qarat Zaid"][:2] == ("location", ["Qarat Zaid"])
    assert found["Baraka province"][:2] == ("location", ["Baraka province"])
    assert found["Tell Hamra"][:2] == ("location", ["Tell Hamra"])
    assert "Warda" not in found  # "in X" alone is no evidence


def test_precision_traps_give_nothing(extractor) -> None:
    text = ("Treasury Designates Weapons Procurement Network Leaders\n"
            "SECURITY COUNCIL BRIEFING ON MARITIME SAFETY\n"
            "On Monday, The Council met again. Officials said the Monday meeting was calm. "
            "General Cargo vessels waited. Snipers follow us everywhere.")
    found = found_in(extractor, text)
    assert {name: value[0] for name, value in found.items()} == {"weapons": "weapon"}


def test_weak_titles_need_a_full_name(extractor) -> None:
    found = found_in(extractor, "Al Noor General Trading Company sold parts. Captain Jones "
                                "agreed, and the Department of Justice Compliance Note followed.")
    assert found["Al Noor General Trading Company"][0] == "organization"
    assert not any(value[0] == "person" for value in found.values())


def test_arabic_places_and_ships_after_their_nouns(extractor) -> None:
    found = found_in(extractor, "قصفت الطائرات بلدة كفرنبل وقرية الزهيرية الشرقية وقرية صغيرة. "
                                "واحتجزت السفينة البريطانية \"نورث ويند\" والناقلة Sea Star.",
                     "ar")
    assert found["كفرنبل"][:2] == ("location", ["كفرنبل"])
    assert found["الزهيرية"][:2] == ("location", ["الزهيرية"])  # not the adjective after it
    assert found["نورث ويند"][:2] == ("vessel", ["نورث ويند"])
    assert found["Sea Star"][:2] == ("vessel", ["Sea Star"])
    assert "صغيرة" not in found


def test_an_arabic_title_takes_no_clitic_word_as_a_name(extractor) -> None:
    found = found_in(extractor, "وقال الوزير وهو مكون من خمسة أعضاء إن اللجنة اجتمعت.", "ar")
    assert not any(value[0] == "person" for value in found.values())


WORDS = st.sampled_from([
    "President", "Lt.", "Gen.", "J.", "al-", "al-Hakimi", "Haddad", "Karim", "said", "told",
    "Operation", "Ministry", "of", "Defence", "Trading", "LLC", "Co.", "(OMI)", "OMI", "HMS",
    "M/V", "Sea", "Lark", "(F", "91)", "near", "town", "the", "province", ",", ".", "61,",
    "“D.J.”", "\n", "Mr.", "and", "Forces", "Brigade", "according", "to", "السفينة",
    "\"نورث", "ويند\"", "مدينة", "كفرنبل", "الوزير", "سامر", "الحداد", "US", "us",
])


@settings(max_examples=150, deadline=None)
@given(st.lists(WORDS, max_size=30))
def test_any_mix_of_cue_words_gives_well_formed_mentions(extractor, words: list[str]) -> None:
    text = " ".join(words)
    for language in ("en", "ar"):
        found_in(extractor, text, language)  # slices of the text, no overlaps, no crash


def needs_model(test):  # the model ships with the package: its absence is a failure
    @functools.wraps(test)
    def run(*args, **kwargs):
        assert load_model() is not None, "the bundled NER model is missing"
        return test(*args, **kwargs)

    return run


@needs_model
def test_the_arabic_tagger_adds_unknown_names_where_nothing_else_stands(extractor) -> None:
    # Depends on the bundled model: two plain person names no title introduces.
    found = found_in(extractor, "والتقى رئيس البعثة خالد المنصوري مع ممثلين في مدينة عدن، "
                                "وقال يوسف العطار إن الاجتماع كان مثمرا.", "ar")
    for name in ("خالد المنصوري", "يوسف العطار"):
        assert found[name][0] == "person"
        assert found[name][2] == ["model:anercorp-perceptron"]
    assert found["Aden"][2] == ["kb:location:aden"]  # the knowledge base keeps its names


@needs_model
def test_the_tagger_adds_nothing_to_the_seed(extractor) -> None:
    from raqib.ingest.clean import clean_plain_text

    text = clean_plain_text((SHARED / "seed/bout-houthis.ar.txt").read_text("utf-8")).text
    found = found_in(extractor, text, "ar")
    assert not [n for n, v in found.items() if "model:anercorp-perceptron" in v[2]]
