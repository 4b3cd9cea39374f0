"""The benchmark scripts run and print well-formed results; their scoring logic is right.

The subprocess tests run the scripts as a user would (small settings, so the file stays
well under 30 s); the others check the matching and selection rules on cases worked out
by hand.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bench import entities as eb
from bench import gazetteer as gb

ROOT = Path(__file__).resolve().parents[2]
RE3D = ROOT.parent / "shared" / "corpus" / "re3d"


def run_json(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def assert_scores(table: dict) -> None:
    assert table, "no score rows"
    for row, cells in table.items():
        if row.startswith("system:"):  # precision by our type: no gold count, no recall
            assert cells["recall"] is None and 0 <= cells["tp"] <= cells["system"], row
            assert 0.0 <= cells["precision"] <= 1.0, row
            continue
        for key in ("precision", "recall", "f1"):
            assert 0.0 <= cells[key] <= 1.0, (row, key, cells[key])
        assert cells["tp"] <= cells["gold"], row


def test_entities_script_prints_scores_as_json() -> None:
    assert RE3D.is_dir(), f"the shared re3d corpus is missing at {RE3D}"
    report = run_json("bench/entities.py", "--limit", "3", "--json", "--errors", "2")
    assert report["documents"] == 3
    assert report["gold_mentions"] > 0
    assert report["speed"]["words"] > 0 and report["speed"]["words_per_s"] > 0
    assert report["failures"] == [] and report["broken_mentions"] == []
    for mode in ("exact", "overlap"):
        assert_scores(report[mode])
        assert {"overall", "any type", "Location"} <= set(report[mode])
    # A lenient match can only find more: overlap recall is never below exact recall.
    assert report["overlap"]["overall"]["tp"] >= report["exact"]["overall"]["tp"]
    assert set(report["exact_errors"]) == {"false_negatives", "false_positives"}


def test_gazetteer_script_prints_positive_figures_as_json() -> None:
    report = run_json("bench/gazetteer.py", "--quick", "--json")
    assert report["texts"] > 0 and report["megabytes"] > 0
    assert report["gazetteer_find"]["find_mb_s"] > 0
    assert [s["set"] for s in report["sets"]] == ["kb", "kb+2000syn"]
    for result in report["sets"]:
        assert result["keys"] > 0
        for row in result["rows"]:
            assert row["build_s"] > 0 and row["all_mb_s"] > 0 and row["select_mb_s"] > 0
            assert 0 < row["selected"] <= row["matches"]
            if "same_matches_texts" in row:  # every library must agree with the reference
                assert row["same_matches_texts"] == result["texts"]
                assert row["same_selection_texts"] == result["texts"]


# --- entity matching rules, by hand ------------------------------------------------------------


def gold(start: int, end: int, *types: str) -> eb.GoldMention:
    return eb.GoldMention(start, end, frozenset(types), "x" * (end - start))


def system(start: int, end: int, kind: str) -> eb.SystemMention:
    return eb.SystemMention(start, end, kind, "x" * (end - start))


def test_exact_match_needs_equal_span_and_an_accepted_type() -> None:
    golds = [gold(2, 18, "Location"), gold(10, 18, "Location"),
             gold(20, 25, "Location", "Organisation")]
    systems = [system(10, 18, "location"), system(20, 25, "state"), system(30, 35, "person")]
    assert eb.match(golds, systems, "exact") == {1: 0, 2: 1}
    # The nested gold "west of Damascus" overlaps "Damascus", but that mention is taken.
    assert eb.match(golds, systems, "overlap") == {1: 0, 2: 1}
    assert eb.match([gold(0, 5, "Person")], [system(0, 5, "weapon")], "exact") == {}
    assert eb.match([gold(0, 5, "Person")], [system(0, 5, "weapon")], "exact",
                    typed=False) == {0: 0}


def test_overlap_matching_is_one_to_one_and_maximal() -> None:
    # "Minister Tobias Ellwood" (gold) vs "Tobias Ellwood" (ours): overlap only.
    assert eb.match([gold(0, 23, "Person")], [system(9, 23, "person")], "exact") == {}
    assert eb.match([gold(0, 23, "Person")], [system(9, 23, "person")], "overlap") == {0: 0}
    # A takes X first (bigger overlap), then B's only option X is freed by moving A to Y.
    golds = [gold(0, 10, "Location"), gold(10, 20, "Location")]
    systems = [system(5, 15, "location"), system(0, 3, "location")]
    assert eb.match(golds, systems, "overlap") == {0: 1, 1: 0}


def test_gold_given_back_as_system_scores_one_and_nationality_is_neutral() -> None:
    doc = eb.GoldDocument("d", "s", "x" * 60,
                          gold=[gold(0, 5, "Person"), gold(10, 15, "Location", "Organisation"),
                                gold(20, 30, "MilitaryPlatform")],
                          neutral=[(40, 47)])
    ours = [system(0, 5, "person"), system(10, 15, "state"), system(20, 30, "vessel"),
            system(40, 47, "state")]
    for mode in eb.MODES:
        tally = eb.Tally()
        tally.add(doc, ours, mode)
        scores = tally.scores()
        assert scores["overall"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "gold": 3,
                                     "system": 3, "tp": 3, "neutral": 1}
        # The state mention that matched a Location+Organisation gold counts for both rows.
        assert scores["Organisation"]["precision"] == 1.0
        assert scores["Location"]["recall"] == 1.0


def test_per_type_precision_leaves_out_mentions_matched_to_another_type() -> None:
    doc = eb.GoldDocument("d", "s", "x" * 40, gold=[gold(0, 5, "Location")], neutral=[])
    tally = eb.Tally()
    tally.add(doc, [system(0, 5, "state"), system(10, 15, "state")], "exact")
    scores = tally.scores()
    # Location: 1 right of 2 state mentions; Organisation: only the unmatched one counts.
    assert (scores["Location"]["precision"], scores["Location"]["recall"]) == (0.5, 1.0)
    assert (scores["Organisation"]["system"], scores["Organisation"]["precision"]) == (1, 0.0)
    assert scores["overall"]["f1"] == pytest.approx(2 * 0.5 * 1.0 / 1.5, abs=1e-4)


def test_gold_offsets_are_checked_and_pronouns_can_be_neutral() -> None:
    text = "We met Bashar al-Assad in Damascus."
    notes = [
        {"begin": 0, "end": 2, "type": "Organisation", "value": "We", "confidence": 1},
        {"begin": 7, "end": 22, "type": "Person", "value": "Bashar al-Assad", "confidence": 1},
        {"begin": 26, "end": 34, "type": "Location", "value": "Damascus", "confidence": 0},
        {"begin": 26, "end": 34, "type": "Organisation", "value": "Damascas", "confidence": 1},
    ]
    found, neutral, bad = eb.gold_mentions(text, notes, 0.5, skip_pronouns=True)
    assert [(g.value, sorted(g.types)) for g in found] == [
        ("Bashar al-Assad", ["Person"]), ("Damascus", ["Organisation"])]
    assert neutral == [(0, 2)]
    assert [(b["value"], b["found"]) for b in bad] == [("Damascas", "Damascus")]


# --- gazetteer selection, by hand --------------------------------------------------------------


def test_selection_takes_the_longest_match_on_word_boundaries() -> None:
    text = "in new york city, newyorker"
    table = {k: (len(k), 0, (k,)) for k in ("new york", "york city", "new york city", "york")}
    for name in gb.LIBRARIES:
        built = gb.LIBRARIES[name][0](table)
        found = gb.LIBRARIES[name][1](built, text)
        # "york" inside "newyorker" is found, then dropped by the boundary test.
        assert sorted((s, e) for s, e, _ in found) == [
            (3, 11), (3, 16), (7, 11), (7, 16), (21, 25)], name
        assert [(s, e) for s, e, _ in gb.select(text, found)] == [(3, 16)], name
