"""The seed article's full extraction equals the hand-reviewed reference output.

`examples/bout-houthis.expected.json` was produced by the extractor and then reviewed
line by line against the article (entities and every mention, each event's roles,
status, time and attribution chain, each statement). When a rule change alters the
output, review the difference against the article before updating the file.
"""

from __future__ import annotations

import json

from raqib.ingest.sources import RawItem
from raqib.pipeline import build_document, extract
from tests.conftest import EXAMPLES, SEED

EXPECTED = EXAMPLES / "bout-houthis.expected.json"


def seed_output() -> dict:
    item = RawItem(source="../shared/seed/bout-houthis.ar.txt", content=SEED.read_bytes(),
                   content_type=None, kind="text")
    return extract(build_document(item, published="2024-10-09")).to_dict()


def test_seed_output_equals_the_reviewed_reference() -> None:
    expected = json.loads(EXPECTED.read_text("utf-8"))
    actual = seed_output()
    for key in ("document", "entities", "mentions", "events", "statements"):
        assert actual[key] == expected[key], key


def test_reference_holds_what_the_contract_promises() -> None:
    """The contract's list for the seed, checked on the reviewed file itself."""
    expected = json.loads(EXPECTED.read_text("utf-8"))
    names = {e["id"]: e["name"] for e in expected["entities"]}

    def role(event: dict, name: str) -> list[str]:
        return [names.get(v.get("entity"), v.get("text")) for v in event["roles"].get(name, [])]

    events = {(e["type"], e["status"]): e for e in expected["events"]}
    deal = events[("arms_transfer", "negotiating")]
    assert role(deal, "supplier") == ["Viktor Bout"]
    assert role(deal, "recipient") == ["Houthis"]
    assert deal["roles"]["value"][0]["value"] == {"amount": 10000000, "currency": "USD"}
    assert deal["time"]["value"] == "2024-08"
    assert role(deal, "place") == ["Moscow"]
    chain = deal["attribution"]["chain"]
    assert [c["kind"] for c in chain] == ["outlet", "media", "anonymous"]
    assert chain[1]["name"] == "The Wall Street Journal" and chain[1]["date"] == "2024-10-06"
    assert chain[2]["name"] == "European security source"
    assert events[("arrest", "occurred")]["time"]["value"] == "2008"
    assert role(events[("extradition", "occurred")], "to") == ["United States"]
    assert events[("sentence", "occurred")]["roles"]["term"][0]["value"] == {"years": 25}
    assert events[("release", "occurred")]["time"]["value"] == "2022-12"
    assert role(events[("meeting", "occurred")], "place") == ["Moscow"]
    nyt = events[("arms_transfer", "proposed")]
    assert [c["name"] for c in nyt["attribution"]["chain"]][1] == "The New York Times"
    quotes = [s for s in expected["statements"] if s.get("quote")]
    assert {names[s["speaker"]] for s in quotes} == {"Tim Lenderking"}
    assert len(quotes) >= 3
