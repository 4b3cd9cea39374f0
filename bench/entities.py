"""Entity extraction against re3d's own annotations: mention-level P/R/F1, and speed.

re3d (shared/corpus/re3d) is 98 English defence-analysis documents whose entity mentions
were annotated by experts and a crowd. Each `<Source>/documents.json` and `entities.json` is
mongoexport output: one JSON object per line; an entity has `documentId`, `begin`, `end`
(code-point offsets into the document's `text`), `type`, `value` and `confidence`.

How the comparison is defined (decisions, so that figures can be compared over time):

- Type map, re3d -> ours: Person -> person; Organisation -> organization | armed_group |
  media | state; Location -> location | state; Weapon -> weapon; MilitaryPlatform ->
  vessel | aircraft | weapon; Vehicle (re3d's non-military ships and aircraft) -> vessel |
  aircraft. re3d tags a country as Location or Organisation depending on the sentence (and
  sometimes both), hence `state` is accepted for either. Other re3d types (Money,
  Temporal, Quantity, DocumentReference, CommsIdentifier, Frequency, Coordinate, Url) are
  not gold.
- Nationality ("Syrian", "Iraqi") is not gold either, but our extractor deliberately turns
  demonyms into state mentions; a system mention that is not matched and that lies on a
  Nationality span is *neutral*: neither a true nor a false positive.
- Gold annotations with the same span are one gold mention whose acceptable types are the
  union (re3d has "Syria" as both Location and Organisation in places). Gold mentions may
  nest ("west of Damascus" and "Damascus"); each is a separate gold mention.
- A system mention matches a gold mention when its type is acceptable and the spans are
  equal ("exact") or share at least one character ("overlap"). Matching is one-to-one: a
  gold mention takes at most one system mention and vice versa. In overlap mode exact
  pairs are fixed first, then a maximum matching is found over the remaining overlaps.
- "any type" rows ignore types: span detection alone.
- Per gold type, recall is over gold mentions carrying that type; precision is over system
  mentions whose type maps to it, leaving out those matched to a gold mention of another
  type (a `state` mention that matched a Location is not an Organisation error).
- `--min-confidence` keeps only annotations at or above the crowd-model confidence. The
  default 0.5 drops the readings that the crowd rejected: a confidence-0 annotation is
  nearly always an alternative to a confident one, either the same span with another type
  ("Syria" Location 0 beside "Syria" Organisation 1) or a piece of a longer confident span
  ("Tobias Ellwood" 0 inside "Minister for the Middle East Tobias Ellwood" 1), or noise
  from the automatic pre-annotation (Vehicle "ss Syria", Person "hope").
- re3d's gold spans are whole phrases with titles and articles ("the Assad regime",
  "FCO Minister Tobias Ellwood"), and pronouns ("I", "we") are annotated as Person or
  Organisation. The overlap rows are the fairer measure of a name extractor; with
  `--skip-pronouns` a pronoun gold mention becomes neutral instead of a false negative.

Usage: .venv/bin/python bench/entities.py [--limit N] [--errors N] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from raqib.model import Document  # noqa: E402  (after the path set-up)
from raqib.pipeline import extract  # noqa: E402

GOLD_TYPES: dict[str, frozenset[str]] = {
    "Person": frozenset({"person"}),
    "Organisation": frozenset({"organization", "armed_group", "media", "state"}),
    "Location": frozenset({"location", "state"}),
    "Weapon": frozenset({"weapon"}),
    "MilitaryPlatform": frozenset({"vessel", "aircraft", "weapon"}),
    "Vehicle": frozenset({"vessel", "aircraft"}),
}
NEUTRAL_TYPES = frozenset({"Nationality"})
PRONOUNS = frozenset({
    "i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves", "you", "your",
    "yours", "he", "him", "his", "himself", "she", "her", "hers", "herself", "it", "its",
    "itself", "they", "them", "their", "theirs", "themselves", "who", "whom", "whose", "this",
    "that", "these", "those",
})
MODES = ("exact", "overlap")


class BenchError(ValueError):
    """The dataset cannot be read; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class GoldMention:
    start: int
    end: int
    types: frozenset[str]  # re3d types, only those in GOLD_TYPES
    value: str

    @property
    def accepts(self) -> frozenset[str]:
        return frozenset().union(*(GOLD_TYPES[t] for t in self.types))


@dataclass(frozen=True, slots=True)
class SystemMention:
    start: int
    end: int
    type: str
    text: str


@dataclass(slots=True)
class GoldDocument:
    id: str
    source: str
    text: str
    gold: list[GoldMention]
    neutral: list[tuple[int, int]]


# --- reading re3d ----------------------------------------------------------------------------


def json_lines(path: Path) -> Iterator[dict[str, Any]]:
    """The objects of a mongoexport file (one per line; a BOM and blank lines allowed)."""
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BenchError(f"{path}:{number}: not JSON: {exc.msg}") from None
            if not isinstance(item, dict):
                raise BenchError(f"{path}:{number}: expected a JSON object")
            yield item


def load_re3d(root: Path, min_confidence: float, skip_pronouns: bool = False,
              ) -> tuple[list[GoldDocument], list[dict]]:
    """The documents with their gold mentions, and the annotations whose `value` is not
    `text[begin:end]` (kept: the offsets are the truth, the value is a display copy)."""
    folders = sorted(p.parent for p in root.glob("*/documents.json"))
    if not folders:
        raise BenchError(f"{root}: no <Source>/documents.json found")
    documents, mismatches = [], []
    for folder in folders:
        texts = {}
        for item in json_lines(folder / "documents.json"):
            if not isinstance(item.get("_id"), str) or not isinstance(item.get("text"), str):
                raise BenchError(f"{folder / 'documents.json'}: a document lacks _id or text")
            texts[item["_id"]] = item["text"]
        annotations: dict[str, list[dict]] = defaultdict(list)
        entities_path = folder / "entities.json"
        for item in json_lines(entities_path) if entities_path.exists() else ():
            if item.get("documentId") in texts:
                annotations[item["documentId"]].append(item)
        for doc_id in sorted(texts):
            gold, neutral, bad = gold_mentions(texts[doc_id], annotations[doc_id],
                                               min_confidence, skip_pronouns)
            mismatches += [{"source": folder.name, "document": doc_id, **b} for b in bad]
            documents.append(GoldDocument(doc_id, folder.name, texts[doc_id], gold, neutral))
    return documents, mismatches


def gold_mentions(text: str, annotations: Iterable[dict], min_confidence: float,
                  skip_pronouns: bool = False,
                  ) -> tuple[list[GoldMention], list[tuple[int, int]], list[dict]]:
    spans: dict[tuple[int, int], set[str]] = defaultdict(set)
    neutral: set[tuple[int, int]] = set()
    mismatches = []
    for item in annotations:
        begin, end, kind = item.get("begin"), item.get("end"), item.get("type")
        if not (isinstance(begin, int) and isinstance(end, int) and 0 <= begin < end <= len(text)):
            mismatches.append({"type": kind, "value": item.get("value"), "found": None})
            continue
        if text[begin:end] != item.get("value"):
            mismatches.append({"type": kind, "value": item.get("value"),
                               "found": text[begin:end], "begin": begin, "end": end})
        if float(item.get("confidence") or 0) < min_confidence:
            continue
        pronoun = skip_pronouns and text[begin:end].strip().casefold() in PRONOUNS
        if kind in GOLD_TYPES and not pronoun:
            spans[(begin, end)].add(kind)
        elif kind in NEUTRAL_TYPES or (kind in GOLD_TYPES and pronoun):
            neutral.add((begin, end))
    gold = [GoldMention(b, e, frozenset(types), text[b:e]) for (b, e), types in spans.items()]
    gold.sort(key=lambda g: (g.start, g.end))
    return gold, sorted(neutral), mismatches


# --- running the extractor -----------------------------------------------------------------


def system_mentions(document: Document,
                    ) -> tuple[list[SystemMention], tuple[float, float], list[str]]:
    """Our mentions (typed by their entity), the (wall, CPU) seconds extraction took, and
    any mention whose text is not `document.text[start:end]` (a contract violation)."""
    wall, cpu = time.perf_counter(), time.process_time()
    extraction = extract(document)
    seconds = (time.perf_counter() - wall, time.process_time() - cpu)
    types = {entity.id: entity.type for entity in extraction.entities}
    mentions, broken = [], []
    for mention in extraction.mentions:
        if document.text[mention.start:mention.end] != mention.text:
            broken.append(f"{mention.text!r} at {mention.start}:{mention.end}")
        mentions.append(SystemMention(mention.start, mention.end,
                                      types.get(mention.entity, "?"), mention.text))
    return mentions, seconds, broken


# --- matching ----------------------------------------------------------------------------------


def _overlaps(a: GoldMention, b: SystemMention) -> bool:
    return a.start < b.end and b.start < a.end


def match(gold: list[GoldMention], system: list[SystemMention], mode: str,
          typed: bool = True) -> dict[int, int]:
    """One-to-one pairs gold index -> system index (see the module docstring)."""
    def compatible(g: GoldMention, s: SystemMention) -> bool:
        return not typed or s.type in g.accepts

    pairs: dict[int, int] = {}
    taken: set[int] = set()
    by_span: dict[tuple[int, int], list[int]] = defaultdict(list)
    for index, mention in enumerate(system):
        by_span[(mention.start, mention.end)].append(index)
    for gi, g in enumerate(gold):
        for si in by_span.get((g.start, g.end), ()):
            if si not in taken and compatible(g, system[si]):
                pairs[gi] = si
                taken.add(si)
                break
    if mode == "exact":
        return pairs
    edges = {}
    for gi, g in enumerate(gold):
        if gi in pairs:
            continue
        options = [si for si, s in enumerate(system)
                   if si not in taken and _overlaps(g, s) and compatible(g, s)]
        # Prefer the largest overlap when several system mentions compete.
        options.sort(key=lambda si: -(min(g.end, system[si].end)
                                      - max(g.start, system[si].start)))
        if options:
            edges[gi] = options
    pairs.update(_maximum_matching(edges))
    return pairs


def _maximum_matching(edges: dict[int, list[int]]) -> dict[int, int]:
    """Kuhn's augmenting paths: a maximum one-to-one matching of a small bipartite graph."""
    owner: dict[int, int] = {}  # system index -> gold index

    def augment(gi: int, seen: set[int]) -> bool:
        for si in edges[gi]:
            if si in seen:
                continue
            seen.add(si)
            if si not in owner or augment(owner[si], seen):
                owner[si] = gi
                return True
        return False

    for gi in edges:
        augment(gi, set())
    return {gi: si for si, gi in owner.items()}


def is_neutral(mention: SystemMention, neutral: list[tuple[int, int]], mode: str) -> bool:
    if mode == "exact":
        return (mention.start, mention.end) in neutral
    return any(b < mention.end and mention.start < e for b, e in neutral)


# --- counting ---------------------------------------------------------------------------------


def _context(text: str, start: int, end: int, width: int = 30) -> str:
    """The span in brackets with a little text either side, on one line."""
    snippet = f"{text[max(0, start - width):start]}[{text[start:end]}]{text[end:end + width]}"
    return "in: " + " ".join(snippet.split())


class Tally:
    """Counts for one mode, accumulated over documents."""

    def __init__(self) -> None:
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.false_negatives: dict[str, Counter] = defaultdict(Counter)
        self.false_positives: dict[str, Counter] = defaultdict(Counter)
        self.hints: dict[tuple[str, str], str] = {}

    def add(self, doc: GoldDocument, system: list[SystemMention], mode: str) -> None:
        pairs = match(doc.gold, system, mode)
        matched_system = {si: gi for gi, si in pairs.items()}
        untyped = match(doc.gold, system, mode, typed=False)
        scored = [si for si, s in enumerate(system)
                  if si in matched_system or not is_neutral(s, doc.neutral, mode)]
        overall = self.counts["overall"]
        overall.update(gold=len(doc.gold), system=len(scored), tp=len(pairs))
        overall["neutral"] += len(system) - len(scored)
        self.counts["any type"].update(gold=len(doc.gold), system=len(scored), tp=len(untyped))
        for gi, g in enumerate(doc.gold):
            for kind in g.types:
                self.counts[kind].update(gold=1, tp_gold=int(gi in pairs))
            if gi not in pairs:
                for kind in g.types:
                    hint = self._near(g, system) or _context(doc.text, g.start, g.end)
                    self._note(self.false_negatives, kind, g.value, hint)
        for si in scored:
            s = system[si]
            partner = doc.gold[matched_system[si]] if si in matched_system else None
            self.counts[f"system:{s.type}"].update(system=1, tp=int(partner is not None))
            for kind, accepted in GOLD_TYPES.items():
                if s.type in accepted and (partner is None or kind in partner.types):
                    self.counts[kind].update(system=1, tp_system=int(partner is not None))
            if partner is None:
                hint = self._near_gold(s, doc.gold) or _context(doc.text, s.start, s.end)
                self._note(self.false_positives, s.type, s.text, hint)

    def _note(self, table: dict[str, Counter], kind: str, text: str, hint: str) -> None:
        table[kind][text] += 1
        if hint:
            self.hints.setdefault((kind, text), hint)

    @staticmethod
    def _near(g: GoldMention, system: list[SystemMention]) -> str:
        near = [s for s in system if _overlaps(g, s)]
        return f"system {near[0].text!r}/{near[0].type}" if near else ""

    @staticmethod
    def _near_gold(s: SystemMention, gold: list[GoldMention]) -> str:
        near = [g for g in gold if _overlaps(g, s)]
        return f"gold {near[0].value!r}/{'+'.join(sorted(near[0].types))}" if near else ""

    def scores(self) -> dict[str, dict[str, Any]]:
        out = {}
        for key, c in self.counts.items():
            if key.startswith("system:"):  # no gold of our types: precision only
                out[key] = {"precision": round(c["tp"] / c["system"], 4) if c["system"] else 0.0,
                            "recall": None, "f1": None, "gold": None, "system": c["system"],
                            "tp": c["tp"]}
            elif key in ("overall", "any type"):
                out[key] = prf(c["tp"], c["system"], c["tp"], c["gold"])
                if key == "overall":
                    out[key]["neutral"] = c["neutral"]
            else:
                out[key] = prf(c["tp_system"], c["system"], c["tp_gold"], c["gold"])
        return out

    def errors(self, top: int) -> dict[str, dict[str, list]]:
        def listing(table: dict[str, Counter]) -> dict[str, list]:
            return {kind: [[text, n, self.hints.get((kind, text), "")]
                           for text, n in counter.most_common(top)]
                    for kind, counter in sorted(table.items())}
        return {"false_negatives": listing(self.false_negatives),
                "false_positives": listing(self.false_positives)}


def prf(tp_system: int, system: int, tp_gold: int, gold: int) -> dict[str, Any]:
    precision = tp_system / system if system else 0.0
    recall = tp_gold / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "gold": gold, "system": system, "tp": tp_gold}


# --- the run -------------------------------------------------------------------------------------


def evaluate(documents: list[GoldDocument], errors: int) -> dict[str, Any]:
    tallies = {mode: Tally() for mode in MODES}
    wall, cpu, words, failures, broken = 0.0, 0.0, 0, [], []
    if documents:  # warm-up: knowledge base, automata and rules load on first use
        extract(Document.from_text(documents[0].text, source="warm-up", language="en"))
    for doc in documents:
        document = Document.from_text(doc.text, source=f"re3d/{doc.source}/{doc.id}",
                                      language="en")
        try:
            system, spent, bad = system_mentions(document)
        except Exception as exc:  # a crash on one document must not hide the others' scores
            failures.append({"document": doc.id, "error": f"{type(exc).__name__}: {exc}"})
            system, spent, bad = [], (0.0, 0.0), []
        wall, cpu = wall + spent[0], cpu + spent[1]
        words += len(doc.text.split())
        broken += [f"{doc.id}: {b}" for b in bad]
        for mode, tally in tallies.items():
            tally.add(doc, system, mode)
    report: dict[str, Any] = {
        "documents": len(documents),
        "gold_mentions": sum(len(d.gold) for d in documents),
        # CPU time too: on a busy machine wall time mostly measures the neighbours.
        "speed": {"words": words, "seconds": round(wall, 4), "cpu_seconds": round(cpu, 4),
                  "words_per_s": round(words / wall, 1) if wall else 0.0,
                  "words_per_cpu_s": round(words / cpu, 1) if cpu else 0.0},
        "failures": failures,
        "broken_mentions": broken,
    }
    for mode, tally in tallies.items():
        report[mode] = tally.scores()
        if errors:
            report[f"{mode}_errors"] = tally.errors(errors)
    return report


def print_report(report: dict[str, Any]) -> None:
    speed = report["speed"]
    print(f"re3d: {report['documents']} documents, {report['gold_mentions']} gold mentions "
          f"(confidence >= {report['min_confidence']}"
          f"{', pronouns neutral' if report['skip_pronouns'] else ''}); "
          f"extraction {speed['words_per_s']:.0f} words/s, {speed['words_per_cpu_s']:.0f} per "
          f"CPU second ({speed['words']} words, {speed['seconds']:.2f} s, "
          f"{speed['cpu_seconds']:.2f} s CPU, after warm-up)")
    for mismatch in report["offset_mismatches"]:
        print(f"  gold value {mismatch['value']!r} != text {mismatch['found']!r} "
              f"({mismatch['source']}/{mismatch['document']}, {mismatch['type']})")
    for failure in report["failures"]:
        print(f"  FAILED {failure['document']}: {failure['error']}")
    for broken in report["broken_mentions"][:10]:
        print(f"  mention text differs from document text: {broken}")
    rows = ["overall", "any type", *GOLD_TYPES,
            *sorted(k for k in report["exact"] if k.startswith("system:"))]
    header = f"{'':<22}" + "".join(f"{m + ' P':>10}{'R':>7}{'F1':>7}" for m in MODES)
    print(header + f"{'gold':>7}{'system':>8}")
    print("-" * (len(header) + 15))
    for row in rows:
        cells = [report[m].get(row) for m in MODES]
        if cells[0] is None:
            continue
        line = f"{row:<22}" + "".join(
            f"{c['precision']:>10.3f}{_cell(c['recall'])}{_cell(c['f1'])}" for c in cells)
        print(line + f"{_cell(cells[0]['gold'], 0)}{cells[0]['system']:>8}")
    pronoun = " or pronoun" if report["skip_pronouns"] else ""
    print(f"neutral system mentions (on Nationality{pronoun} spans): exact "
          f"{report['exact']['overall']['neutral']}, overlap "
          f"{report['overlap']['overall']['neutral']}")
    if "exact_errors" in report:
        print_errors(report["exact_errors"])


def _cell(value: float | None, digits: int = 3) -> str:
    return f"{'-':>7}" if value is None else f"{value:>7.{digits}f}"


def print_errors(errors: dict[str, dict[str, list]]) -> None:
    for title, key in (("false negatives (exact), by gold type", "false_negatives"),
                       ("false positives (exact), by system type", "false_positives")):
        print(f"\n{title}:")
        for kind, items in errors[key].items():
            print(f"  {kind}:")
            for text, count, hint in items:
                print(f"    {count:>3}  {text!r}" + (f"   [{hint}]" if hint else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--re3d", type=Path, default=ROOT.parent / "shared/corpus/re3d",
                        help="the re3d folder with one sub-folder per source")
    parser.add_argument("--limit", type=int, default=0, help="only the first N documents")
    parser.add_argument("--min-confidence", type=float, default=0.5,
                        help="ignore annotations below this crowd-model confidence (0: keep all)")
    parser.add_argument("--skip-pronouns", action="store_true",
                        help="pronoun gold mentions ('I', 'we') count as neutral, not as misses")
    parser.add_argument("--errors", type=int, default=0, metavar="N",
                        help="list the N most frequent false negatives/positives per type")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead")
    args = parser.parse_args(argv)
    if args.limit < 0 or args.errors < 0:
        parser.error("--limit and --errors must not be negative")
    try:
        documents, mismatches = load_re3d(args.re3d, args.min_confidence, args.skip_pronouns)
    except (BenchError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.limit:
        documents = documents[: args.limit]
        kept = {d.id for d in documents}
        mismatches = [m for m in mismatches if m["document"] in kept]
    report = evaluate(documents, args.errors)
    report["offset_mismatches"] = mismatches
    report["min_confidence"] = args.min_confidence
    report["skip_pronouns"] = args.skip_pronouns
    if args.json:
        print(json.dumps(report, ensure_ascii=False))
    else:
        print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
