"""Entities of the seed and of hand-written sentences, with the right types and links."""

from __future__ import annotations

import json

from raqib.model import Document
from raqib.pipeline import extract
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
