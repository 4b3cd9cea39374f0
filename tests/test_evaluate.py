"""The gold scorer, on hand-written system outputs whose scores were worked out on paper."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from raqib.evaluate import (
    EvalError,
    format_report,
    load_gold,
    normalize_name,
    report_to_dict,
    run_eval,
    score_corpus,
    score_document,
)

GOLD = {
    "file": "docs/a.txt",
    "published": "2024-10-09",
    "language": "ar",
    "entities": [
        {"name": "Viktor Bout", "type": "person", "aliases": ["فيكتور بوت", "بوت"]},
        {"name": "Houthis", "type": "armed_group", "aliases": ["الحوثيين", "أنصار الله"]},
        {"name": "United States", "type": "state", "aliases": ["الولايات المتحدة", "أمريكا"]},
        {"name": "Thailand", "type": "state", "aliases": ["تايلاند"]},
        {"name": "Russia", "type": "state", "aliases": ["روسيا", "موسكو"]},
        {"name": "Moscow", "type": "location", "aliases": ["موسكو"]},
        {"name": "The Wall Street Journal", "type": "media", "aliases": ["وول ستريت جورنال"]},
        {"name": "Tim Lenderking", "type": "person", "aliases": ["ليندركينغ"]},
    ],
    "events": [
        {
            "type": "arms_transfer",
            "status": "negotiating",
            "roles": {"supplier": ["Viktor Bout"], "recipient": ["Houthis"], "place": ["Moscow"]},
            "value": {"amount": 10000000, "currency": "USD"},
            "time": "2024-08",
            "stance": "reported",
            "chain": ["The Wall Street Journal"],
            "origin": {"kind": "anonymous", "name": "European security source"},
        },
        {
            "type": "arrest",
            "status": "occurred",
            "roles": {"person": ["Viktor Bout"], "agent": ["United States"], "place": ["Thailand"]},
            "time": "2008",
            "stance": "asserted",
        },
    ],
    "statements": [
        {"speaker": "Tim Lenderking", "quote": True, "text_contains": "ناقوس الخطر"},
        {"speaker": None, "quote": False, "text_contains": "التصعيد"},
    ],
}

OUTLET = {"kind": "outlet", "name": "Al-Fassel", "entity": None}
WSJ_LINK = {"kind": "media", "name": "The Wall Street Journal", "entity": "e6"}
ANON_LINK = {
    "kind": "anonymous", "name": "European security source", "entity": None,
    "text": "مصدر أمني أوروبي", "start": 0, "end": 16,
}


def _transfer() -> dict:
    return {
        "id": "v1",
        "type": "arms_transfer",
        "status": "negotiating",
        "roles": {
            "supplier": [{"entity": "e1"}],
            "recipient": [{"entity": "e2"}],
            "place": [{"entity": "e5"}],
            "value": [{"text": "10 ملايين دولار", "start": 5, "end": 20,
                       "value": {"amount": 10000000, "currency": "USD"}}],
        },
        "time": {"text": "آب/أغسطس", "start": 30, "end": 38, "value": "2024-08"},
        "attribution": {"stance": "reported", "chain": [OUTLET, WSJ_LINK, ANON_LINK]},
    }


def _arrest() -> dict:
    return {
        "id": "v2",
        "type": "arrest",
        "status": "occurred",
        "roles": {"person": [{"entity": "e1"}], "agent": [{"entity": "e3"}],
                  "place": [{"entity": "e4"}]},
        "time": {"text": "2008", "start": 50, "end": 54, "value": "2008"},
        "attribution": {"stance": "asserted", "chain": [OUTLET]},
    }


def _system() -> dict:
    """A system output that gets everything in GOLD right."""
    return {
        "document": {"id": "x", "source": "docs/a.txt", "language": "ar", "text": "..."},
        "entities": [
            {"id": "e1", "type": "person", "name": "Viktor Bout", "names": {"ar": "فيكتور بوت"}},
            {"id": "e2", "type": "armed_group", "name": "Houthis"},
            {"id": "e3", "type": "state", "name": "United States"},
            {"id": "e4", "type": "state", "name": "Thailand"},
            {"id": "e5", "type": "location", "name": "Moscow"},
            {"id": "e6", "type": "media", "name": "The Wall Street Journal"},
            {"id": "e7", "type": "person", "name": "Tim Lenderking"},
            {"id": "e8", "type": "state", "name": "Russia"},
        ],
        "mentions": [
            {"entity": "e1", "text": "بوت", "start": 0, "end": 3},
            {"entity": "e2", "text": "الحوثيين", "start": 4, "end": 12},
        ],
        "events": [_transfer(), _arrest()],
        "statements": [
            {"text": "ندق ناقوس الخطر", "start": 60, "end": 75, "speaker": "e7",
             "quote": True, "attribution": {"stance": "reported", "chain": [OUTLET]}},
            {"text": "محذرا من التصعيد", "start": 80, "end": 96, "speaker": None,
             "attribution": {"stance": "reported", "chain": [OUTLET]}},
        ],
    }


def _overall(doc):
    return doc.overall


# --------------------------------------------------------------------------- normalisation


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("أمريكا", "امريكا"),  # hamza on alef
        ("إيران", "ايران"),
        ("آل سعود", "ال سعود"),
        ("الولايات المتحدة", "الولايات المتحده"),  # ta marbuta
        ("موسى", "موسي"),  # alef maqsura
        ("الحوثيّين", "الحوثيين"),  # shadda
        ("تـايلاند", "تايلاند"),  # tatweel
        ("الحوثيين", "حوثيين"),  # leading article
        ("The Wall Street Journal", "wall  street\njournal"),
        ("«تاجر الموت»", "تاجر الموت"),  # quotes at the ends
    ],
)
def test_normalize_name_equates_variants(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(("a", "b"), [("Bout", "Boot"), ("روسيا", "روسي"), ("theft", "ft")])
def test_normalize_name_keeps_different_names_apart(a: str, b: str) -> None:
    assert normalize_name(a) != normalize_name(b)


# --------------------------------------------------------------------------- whole documents


def test_perfect_output_scores_one_everywhere() -> None:
    doc = score_document(GOLD, _system())
    ov = doc.overall
    assert (ov.events.tp, ov.events.fp, ov.events.fn) == (2, 0, 0)
    assert (ov.roles.tp, ov.roles.fp, ov.roles.fn) == (6, 0, 0)
    assert ov.events.f1 == 1.0 and ov.roles.f1 == 1.0
    got = {name: (r.hits, r.total) for name, r in ov.attributes.items()}
    assert got == {"status": (2, 2), "time": (2, 2), "stance": (2, 2), "chain": (1, 1),
                   "origin": (1, 1), "value": (1, 1), "term": (0, 0)}
    assert (doc.entities.recall.hits, doc.entities.recall.total) == (8, 8)
    assert doc.entities.recall_typed.value == 1.0
    assert doc.entities.precision.total == 0  # gold does not claim completeness
    assert (doc.statements.recall.hits, doc.statements.recall.total) == (2, 2)
    assert (doc.statements.quote.hits, doc.statements.quote.total) == (2, 2)
    assert doc.missed == [] and doc.spurious == []


def test_missing_event_halves_recall() -> None:
    system = _system()
    system["events"] = [_transfer()]
    ov = score_document(GOLD, system).overall
    assert (ov.events.tp, ov.events.fp, ov.events.fn) == (1, 0, 1)
    assert ov.events.precision == 1.0
    assert ov.events.recall == 0.5
    assert ov.events.f1 == pytest.approx(2 / 3)
    assert (ov.roles.tp, ov.roles.fp, ov.roles.fn) == (3, 0, 0)  # only over matched events


def test_wrong_type_is_a_false_positive_and_a_miss() -> None:
    system = _system()
    system["events"][1]["type"] = "extradition"
    doc = score_document(GOLD, system)
    assert doc.by_type["arrest"].events.recall == 0.0
    assert doc.by_type["arrest"].events.precision is None
    assert doc.by_type["extradition"].events.precision == 0.0
    # F1 is 2TP/(2TP+FP+FN): zero, not undefined, when one side is empty.
    assert doc.by_type["arrest"].events.f1 == 0.0
    assert doc.by_type["extradition"].events.f1 == 0.0
    ov = doc.overall
    assert (ov.events.tp, ov.events.fp, ov.events.fn) == (1, 1, 1)
    assert ov.events.f1 == 0.5
    assert doc.missed == ["arrest [Viktor Bout, United States, Thailand]"]


def test_extra_event_lowers_precision() -> None:
    system = _system()
    system["events"].append({
        "id": "v3", "type": "sanction", "status": "occurred",
        "roles": {"target": [{"entity": "e8"}]}, "time": None,
        "attribution": {"stance": "asserted", "chain": [OUTLET]},
    })
    ov = score_document(GOLD, system).overall
    assert (ov.events.tp, ov.events.fp, ov.events.fn) == (2, 1, 0)
    assert ov.events.precision == pytest.approx(2 / 3)
    assert ov.events.f1 == pytest.approx(0.8)


def test_events_match_one_to_one() -> None:
    system = _system()
    system["events"].append(_arrest())  # the same arrest twice
    doc = score_document(GOLD, system)
    assert doc.by_type["arrest"].events.tp == 1
    assert doc.by_type["arrest"].events.fp == 1
    assert doc.matches == [(0, 0), (1, 1)]


def test_event_without_shared_entity_does_not_match() -> None:
    system = _system()
    system["events"][1]["roles"] = {"person": [{"entity": "e7"}]}  # Lenderking, not Bout
    doc = score_document(GOLD, system)
    assert doc.by_type["arrest"].events.tp == 0
    assert doc.by_type["arrest"].events.fp == 1


def test_role_triples_wrong_recipient() -> None:
    system = _system()
    system["events"][0]["roles"]["recipient"] = [{"entity": "e8"}]  # Russia, not the Houthis
    system["events"] = system["events"][:1]
    roles = score_document(GOLD, system).overall.roles
    assert (roles.tp, roles.fp, roles.fn) == (2, 1, 1)
    assert roles.f1 == pytest.approx(2 / 3)


def test_two_system_entities_for_one_gold_entity_count_once_in_a_role() -> None:
    system = _system()
    system["entities"].append({"id": "e9", "type": "person", "name": "بوت"})
    system["events"][0]["roles"]["supplier"].append({"entity": "e9"})
    roles = score_document(GOLD, system).overall.roles
    assert (roles.tp, roles.fp, roles.fn) == (6, 0, 0)


def test_unknown_entity_in_role_is_a_false_positive() -> None:
    system = _system()
    system["entities"].append({"id": "e9", "type": "person", "name": "Somebody Else"})
    system["events"][1]["roles"]["person"].append({"entity": "e9"})
    roles = score_document(GOLD, system).overall.roles
    assert (roles.tp, roles.fp, roles.fn) == (6, 1, 0)


def test_arabic_variants_match_aliases() -> None:
    system = _system()
    # Every entity known only through spelling variants of the gold aliases.
    system["entities"] = [
        {"id": "e1", "type": "person", "name": "فيكتور بوت"},
        {"id": "e2", "type": "armed_group", "name": "انصار اللّه"},  # no hamza, shadda
        {"id": "e3", "type": "state", "name": "الولايات المتحده"},  # ه for ة
        {"id": "e4", "type": "state", "name": "تـايلاند"},  # tatweel
        {"id": "e5", "type": "location", "name": "موسكو"},
        {"id": "e6", "type": "media", "name": "وول ستريت جورنال"},
        {"id": "e7", "type": "person", "name": "x", "names": {"ar": "ليندركينغ"}},
        {"id": "e8", "type": "state", "name": "روسيا"},
    ]
    system["mentions"] = []
    doc = score_document(GOLD, system)
    assert doc.entities.recall.value == 1.0
    assert doc.entities.recall_typed.value == 1.0
    ov = doc.overall
    assert ov.events.f1 == 1.0 and ov.roles.f1 == 1.0
    assert ov.attributes["chain"].value == 1.0


def test_mention_text_is_enough_to_match() -> None:
    system = _system()
    system["entities"][1] = {"id": "e2", "type": "armed_group", "name": "Ansarallah movement"}
    system["mentions"] = [{"entity": "e2", "text": "وأنصار الله", "start": 0, "end": 11}]
    # "وأنصار الله" carries a conjunction: not an alias after normalisation.
    assert score_document(GOLD, system).entities.recall.hits == 7
    system["mentions"] = [{"entity": "e2", "text": "أنصار الله", "start": 1, "end": 11}]
    assert score_document(GOLD, system).entities.recall.hits == 8


def test_typed_and_untyped_entity_recall() -> None:
    system = _system()
    # Only the city, typed as a location: Russia is found untyped through its alias موسكو.
    system["entities"] = [{"id": "e5", "type": "location", "name": "موسكو"}]
    system["events"] = []
    system["statements"] = []
    ents = score_document(GOLD, system).entities
    assert (ents.recall.hits, ents.recall.total) == (2, 8)
    assert (ents.recall_typed.hits, ents.recall_typed.total) == (1, 8)


def test_type_decides_which_overlapping_gold_entity_a_role_means() -> None:
    system = _system()
    # Place given as موسكو typed *state*: maps to Russia, so the place triple is wrong.
    system["entities"][4] = {"id": "e5", "type": "state", "name": "موسكو"}
    system["events"] = system["events"][:1]
    roles = score_document(GOLD, system).overall.roles
    assert (roles.tp, roles.fp, roles.fn) == (2, 1, 1)


def test_entity_precision_only_where_gold_is_complete() -> None:
    gold = copy.deepcopy(GOLD)
    gold["entities_complete"] = True
    system = _system()
    system["entities"].append({"id": "e9", "type": "person", "name": "Somebody Else"})
    system["entities"].append({"id": "e10", "type": "vessel", "name": "MV Nowhere"})
    ents = score_document(gold, system).entities
    assert (ents.precision.hits, ents.precision.total) == (8, 9)  # the vessel is not counted
    assert ents.complete_recall.value == 1.0
    assert ents.f1 == pytest.approx(16 / 17)
    assert score_document(GOLD, system).entities.precision.total == 0


def test_attributes_wrong() -> None:
    system = _system()
    transfer = system["events"][0]
    transfer["status"] = "agreed"
    transfer["time"]["value"] = "2024-08-01"
    transfer["attribution"]["stance"] = "asserted"
    transfer["roles"]["value"][0]["value"] = {"amount": 10000000, "currency": "EUR"}
    ov = score_document(GOLD, system).overall
    assert (ov.attributes["status"].hits, ov.attributes["status"].total) == (1, 2)
    assert (ov.attributes["time"].hits, ov.attributes["time"].total) == (1, 2)
    assert (ov.attributes["stance"].hits, ov.attributes["stance"].total) == (1, 2)
    assert (ov.attributes["value"].hits, ov.attributes["value"].total) == (0, 1)


def test_money_compares_as_numbers_and_currency_ignores_case() -> None:
    system = _system()
    system["events"][0]["roles"]["value"][0]["value"] = {"amount": 1e7, "currency": "usd"}
    assert score_document(GOLD, system).overall.attributes["value"].value == 1.0


def test_chain_without_origin_keeps_chain_right_and_origin_wrong() -> None:
    system = _system()
    system["events"][0]["attribution"]["chain"] = [OUTLET, WSJ_LINK]
    attrs = score_document(GOLD, system).overall.attributes
    assert attrs["chain"].value == 1.0
    assert attrs["origin"].value == 0.0


def test_chain_missing_the_newspaper() -> None:
    system = _system()
    system["events"][0]["attribution"]["chain"] = [OUTLET, ANON_LINK]
    attrs = score_document(GOLD, system).overall.attributes
    assert attrs["chain"].value == 0.0
    assert attrs["origin"].value == 1.0


def test_chain_link_matched_by_name_without_entity() -> None:
    system = _system()
    link = {"kind": "media", "name": "صحيفة وول ستريت جورنال", "entity": None,
            "text": "وول ستريت جورنال", "start": 0, "end": 16}
    system["events"][0]["attribution"]["chain"] = [OUTLET, link, ANON_LINK]
    assert score_document(GOLD, system).overall.attributes["chain"].value == 1.0


def test_origin_kind_must_agree_and_name_may_be_longer() -> None:
    system = _system()
    longer = dict(ANON_LINK, name="a European security source who was not named")
    system["events"][0]["attribution"]["chain"] = [OUTLET, WSJ_LINK, longer]
    assert score_document(GOLD, system).overall.attributes["origin"].value == 1.0
    wrong_kind = dict(ANON_LINK, kind="official")
    system["events"][0]["attribution"]["chain"] = [OUTLET, WSJ_LINK, wrong_kind]
    assert score_document(GOLD, system).overall.attributes["origin"].value == 0.0


def test_only_the_outlet_means_no_origin() -> None:
    gold = copy.deepcopy(GOLD)
    gold["events"][0]["origin"] = {"kind": "outlet", "name": "Al-Fassel"}
    gold["events"][0]["chain"] = []
    system = _system()
    system["events"][0]["attribution"]["chain"] = [OUTLET]
    attrs = score_document(gold, system).overall.attributes
    assert attrs["origin"].value == 0.0
    assert attrs["chain"].value == 1.0


def test_term_ignores_zero_units() -> None:
    gold = copy.deepcopy(GOLD)
    gold["events"] = [{"type": "sentence", "roles": {"person": ["Viktor Bout"]},
                       "term": {"years": 25}}]
    system = _system()
    system["events"] = [{
        "id": "s1", "type": "sentence", "status": "occurred",
        "roles": {"person": [{"entity": "e1"}],
                  "term": [{"text": "25 عاما", "start": 0, "end": 7,
                            "value": {"years": 25, "months": 0}}]},
        "time": None, "attribution": {"stance": "asserted", "chain": [OUTLET]},
    }]
    assert score_document(gold, system).overall.attributes["term"].value == 1.0
    system["events"][0]["roles"]["term"][0]["value"] = {"years": 20}
    assert score_document(gold, system).overall.attributes["term"].value == 0.0


def test_statement_recall_and_quote_agreement() -> None:
    system = _system()
    system["statements"][0]["quote"] = False  # right text and speaker, quote disagrees
    system["statements"][1]["speaker"] = "e7"  # anonymous in gold: now a wrong speaker
    sts = score_document(GOLD, system).statements
    assert (sts.recall.hits, sts.recall.total) == (1, 2)
    assert (sts.quote.hits, sts.quote.total) == (0, 1)


def test_statement_text_must_contain_the_gold_snippet() -> None:
    system = _system()
    system["statements"][0]["text"] = "كلام آخر تماما"
    sts = score_document(GOLD, system).statements
    assert sts.recall.value == 0.5


def test_statement_text_folded_before_containment() -> None:
    system = _system()
    system["statements"][1]["text"] = "محذّراً من «التّصعيد»"
    assert score_document(GOLD, system).statements.recall.value == 1.0


def test_statements_match_one_to_one() -> None:
    gold = copy.deepcopy(GOLD)
    gold["statements"] = [
        {"speaker": "Tim Lenderking", "quote": True},
        {"speaker": "Tim Lenderking", "quote": True},
    ]
    system = _system()
    sts = score_document(gold, system).statements  # one statement by Lenderking
    assert (sts.recall.hits, sts.recall.total) == (1, 2)


def test_bad_system_output_raises_eval_error() -> None:
    with pytest.raises(EvalError):
        score_document(GOLD, {"events": "not a list"})
    with pytest.raises(EvalError):
        score_document(GOLD, [])  # type: ignore[arg-type]


# --------------------------------------------------------------------------- corpus and output


def test_score_corpus_micro_averages() -> None:
    short = _system()
    short["events"] = [_transfer()]
    report = score_corpus([(GOLD, _system()), (GOLD, short)])
    ev = report.overall.events
    assert (ev.tp, ev.fp, ev.fn) == (3, 0, 1)
    assert report.by_type["arrest"].events.recall == 0.5
    assert list(report.by_type) == ["arms_transfer", "arrest"]  # contract order
    assert report.statements.recall.value == 1.0


def test_format_report_ends_with_summary_line() -> None:
    report = score_corpus([(GOLD, _system())])
    text = format_report(report)
    assert text.splitlines()[-1] == (
        "overall: entities R=1.00 | events P=1.00 R=1.00 F1=1.00 | roles F1=1.00 | "
        "status 1.00 | time 1.00 | stance 1.00 | chain 1.00 | origin 1.00 | value 1.00 | "
        "term n/a | statements R=1.00"
    )
    assert "arms_transfer" in text and "arrest" in text
    short = _system()
    short["events"] = [_transfer()]
    detailed = format_report(score_corpus([(GOLD, short)]), details=True)
    assert "missed   arrest [Viktor Bout, United States, Thailand]" in detailed


def test_report_to_dict_is_json_and_consistent() -> None:
    short = _system()
    short["events"] = [_transfer()]
    data = report_to_dict(score_corpus([(GOLD, short)]))
    data = json.loads(json.dumps(data, ensure_ascii=False))
    assert data["overall"]["events"] == {"tp": 1, "fp": 0, "fn": 1, "precision": 1.0,
                                         "recall": 0.5, "f1": pytest.approx(2 / 3)}
    assert data["by_type"]["arrest"]["events"]["recall"] == 0.0
    assert data["overall"]["term"] == {"hits": 0, "total": 0, "value": None}
    assert data["documents"][0]["missed"] == ["arrest [Viktor Bout, United States, Thailand]"]
    assert data["summary"].startswith("overall: entities R=1.00 | events P=1.00 R=0.50")


# --------------------------------------------------------------------------- files


def _write_gold(path: Path, lines: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\n",
                    encoding="utf-8")


def test_load_gold_reads_lines_and_reports_bad_ones(tmp_path: Path) -> None:
    gold_file = tmp_path / "g.jsonl"
    _write_gold(gold_file, [GOLD, GOLD])
    assert load_gold(gold_file) == [GOLD, GOLD]
    gold_file.write_text(json.dumps(GOLD) + "\n{not json\n", encoding="utf-8")
    with pytest.raises(EvalError, match=r"g\.jsonl:2: invalid JSON"):
        load_gold(gold_file)
    bad = copy.deepcopy(GOLD)
    bad["events"][0]["type"] = "arms_deal"
    _write_gold(gold_file, [bad])
    with pytest.raises(EvalError, match="unknown event type 'arms_deal'"):
        load_gold(gold_file)
    with pytest.raises(EvalError, match="cannot read"):
        load_gold(tmp_path / "missing.jsonl")


def test_dev_gold_loads() -> None:
    dev = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "gold" / "dev.jsonl"
    assert dev.exists(), f"the shared dev gold is missing at {dev}"
    lines = load_gold(dev)
    assert lines and all("file" in line for line in lines)


def test_run_eval_resolves_files_and_scores(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    (shared / "docs").mkdir(parents=True)
    (shared / "docs" / "a.txt").write_text("نص", encoding="utf-8")
    gold_file = shared / "corpus" / "gold" / "g.jsonl"
    _write_gold(gold_file, [GOLD])
    calls: list[tuple[Path, str | None]] = []

    def extract(path: Path, published: str | None) -> dict:
        calls.append((path, published))
        short = _system()
        short["events"] = [_transfer()]
        return short

    report = run_eval([gold_file], shared, extract)
    assert calls == [((shared / "docs" / "a.txt").resolve(), "2024-10-09")]
    assert report.overall.events.recall == 0.5
    # Without an explicit root: two levels above the gold file's folder.
    report = run_eval([gold_file], None, extract)
    assert calls[-1][0] == (shared / "docs" / "a.txt").resolve()
    assert report.overall.events.precision == 1.0


def test_run_eval_rejects_missing_and_escaping_files(tmp_path: Path) -> None:
    gold_file = tmp_path / "corpus" / "gold" / "g.jsonl"
    _write_gold(gold_file, [GOLD])

    def extract(path: Path, published: str | None) -> dict:
        raise AssertionError("must not be called")

    with pytest.raises(EvalError, match="no such file"):
        run_eval([gold_file], tmp_path, extract)
    escaping = dict(GOLD, file="../outside.txt")
    _write_gold(gold_file, [escaping])
    with pytest.raises(EvalError, match="outside"):
        run_eval([gold_file], tmp_path, extract)


def test_run_eval_rejects_non_object_extraction(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("x", encoding="utf-8")
    gold_file = tmp_path / "corpus" / "gold" / "g.jsonl"
    _write_gold(gold_file, [GOLD])
    with pytest.raises(EvalError, match="returned list"):
        run_eval([gold_file], tmp_path, lambda path, published: [])  # type: ignore[arg-type,return-value]
