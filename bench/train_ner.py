"""Train the Arabic name tagger on ANERcorp and score it on the held-out test portion.

Lines 1-106,856 of ANERCorp.txt are for training (and development), lines 106,857 to the
end are the test portion (see ../shared/corpus/anercorp/README.md). Corpus tokens are
re-tokenised with raqib.text.tokens.tokenize so that the model learns from the tokens it
will see when tagging (a corpus token that tokenises to nothing, such as a lone U+200F,
is dropped; one that splits keeps its tag on the first piece and I- on the rest).

Scores are conlleval-style: a predicted entity counts only if its tokens and label
match a gold entity exactly. Precision, recall and F1 per class and micro-averaged.

Usage:
  .venv/bin/python bench/train_ner.py                    # train, write the model, score
  .venv/bin/python bench/train_ner.py --dev 0.1 --epochs 12 --no-write   # choose epochs
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus" / "anercorp" / "ANERCorp.txt"
TRAIN_LAST_LINE = 106_856
sys.path.insert(0, str(ROOT))

from raqib.ner.features import count_words, document_features, token_features  # noqa: E402
from raqib.ner.model import SENTENCE_ENDS, NerModel, Stage, bio_spans, model_path  # noqa: E402
from raqib.ner.perceptron import TAGS, Trainer  # noqa: E402
from raqib.text.arabic import fold  # noqa: E402
from raqib.text.tokens import tokenize  # noqa: E402

Sentence = tuple[list[str], list[str]]
LABELS = ("PERS", "LOC", "ORG", "MISC")


def read_lines(path: Path, first: int, last: int | None) -> list[tuple[str, str]]:
    """(token, tag) pairs of lines `first`..`last` (1-based, inclusive; None: to the end)."""
    pairs = []
    with path.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            if number < first:
                continue
            if last is not None and number > last:
                break
            line = line.rstrip("\n")
            if not line.strip():
                continue
            word, _, tag = line.rpartition(" ")
            pairs.append((word, tag if tag in TAGS else "O"))
    return pairs


def retokenize(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str, str]]:
    """(piece, folded piece, tag) with corpus tokens cut as our tokeniser cuts them.

    A name's tag covers a token's pieces up to its last non-punctuation one ("بوش."
    gives "بوش" in the name and "." outside it).
    """
    out = []
    for word, tag in pairs:
        pieces = [t for t in tokenize(word) if t.kind != "punct" or t.norm.strip()]
        words = [i for i, t in enumerate(pieces) if t.kind != "punct"]
        last = words[-1] if words else 0
        inside = "I-" + tag[2:] if tag != "O" else "O"
        for i, tok in enumerate(pieces):
            out.append((tok.text, tok.norm, tag if i == 0 else inside if i <= last else "O"))
    return out


def sentences(pairs: Iterable[tuple[str, str]]) -> list[Sentence]:
    """Tagged sentences, cut after sentence-final punctuation as find_names cuts them."""
    out: list[Sentence] = []
    words: list[str] = []
    tags: list[str] = []
    for piece, norm, tag in retokenize(pairs):
        words.append(piece)
        tags.append(tag)
        if norm in SENTENCE_ENDS:
            out.append((words, tags))
            words, tags = [], []
    if words:
        out.append((words, tags))
    return out


def load_split(path: Path = CORPUS) -> tuple[list[Sentence], list[Sentence]]:
    """The training and test sentences of the project's split."""
    train = sentences(read_lines(path, 1, TRAIN_LAST_LINE))
    test = sentences(read_lines(path, TRAIN_LAST_LINE + 1, None))
    return train, test


def name_words(data: list[Sentence]) -> frozenset[str]:
    """Folded words seen inside a gold name: lets find_names trim a proclitic safely."""
    return frozenset(fold(w) for words, tags in data
                     for w, t in zip(words, tags, strict=True) if t != "O")


def score(model: NerModel, data: list[Sentence]) -> dict[str, dict[str, float]]:
    """Entity-level exact-match precision, recall and F1 per label and micro-averaged."""
    tp: Counter[str] = Counter()
    pred: Counter[str] = Counter()
    gold: Counter[str] = Counter()
    predicted = model.tag_sentences([words for words, _ in data])
    for (_, tags), guess in zip(data, predicted, strict=True):
        want = set(bio_spans(tags))
        got = set(bio_spans(guess))
        for spans, counter in ((want, gold), (got, pred), (want & got, tp)):
            for _, _, label in spans:
                counter[label] += 1
                counter["micro"] += 1
    table = {}
    for label in (*LABELS, "micro"):
        p = tp[label] / pred[label] if pred[label] else 0.0
        r = tp[label] / gold[label] if gold[label] else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        table[label] = {"precision": p, "recall": r, "f1": f, "tp": tp[label],
                        "predicted": pred[label], "gold": gold[label]}
    return table


def train_stage(features: list[list[list[str]]], data: list[Sentence], epochs: int,
                seed: int, min_weight: float = 0.0,
                report: Callable[[Stage], None] | None = None) -> Stage:
    """One perceptron pass trained on precomputed features of `data`'s sentences."""
    trainer = Trainer()
    for feats, (_, tags) in zip(features, data, strict=True):
        trainer.add(feats, tags)
    trainer.train(epochs, seed, None if report is None else
                  lambda epoch: report(Stage(*trainer.averaged())))
    return Stage(*trainer.averaged(min_weight))


def first_pass(data: list[Sentence], epochs: int, seed: int) -> NerModel:
    """A one-pass model trained on `data` with its own word counts."""
    stats = count_words(data)
    feats = [token_features(words, stats, tags) for words, tags in data]
    return NerModel(train_stage(feats, data, epochs, seed), stats=stats)


def jackknife(data: list[Sentence], folds: int, epochs: int, seed: int) -> list[list[str]]:
    """First-pass tags of every training sentence from a model that did not see it.

    The second pass must learn how far to trust first-pass tags as they will be on new
    text, not as they are on sentences the first pass was trained on (nearly perfect).
    Folds are contiguous blocks, so that a document's sentences stay together.
    """
    tags: list[list[str]] = []
    size = -(-len(data) // folds)
    for k in range(folds):
        held = data[k * size:(k + 1) * size]
        model = first_pass(data[:k * size] + data[(k + 1) * size:], epochs, seed)
        tags += model.tag_sentences([words for words, _ in held])
    return tags


def train(data: list[Sentence], epochs: int, seed: int = 13, min_weight: float = 0.0,
          dev: list[Sentence] | None = None, folds: int = 4, window: int = 10) -> NerModel:
    """Train both passes on `data`; with `dev`, print the dev micro F1 after each epoch."""
    stats = count_words(data)
    words = [w for w, _ in data]
    base = [token_features(w, stats, tags) for w, tags in data]
    known = name_words(data)

    def assemble(one: Stage, two: Stage | None = None) -> NerModel:
        return NerModel(one, two, stats=stats, window=window, name_words=known)

    def report(name: str) -> Callable[[Stage], None] | None:
        epoch = iter(range(1, epochs + 1))

        def show(stage: Stage) -> None:
            m = assemble(stage) if name == "first" else assemble(first, stage)
            f1 = score(m, dev or [])["micro"]["f1"]
            print(f"  {name} pass, epoch {next(epoch):2d}: dev micro F1 {f1:.4f}",
                  file=sys.stderr, flush=True)
        return show if dev else None

    first = train_stage(base, data, epochs, seed, min_weight, report("first"))
    guesses = jackknife(data, folds, epochs, seed)
    docs = document_features(words, guesses, window)
    both = [[b + d for b, d in zip(bs, ds, strict=True)] for bs, ds in zip(base, docs, strict=True)]
    second = train_stage(both, data, epochs, seed, min_weight, report("second"))
    return assemble(first, second)


def tagging_speed(model: NerModel, data: list[Sentence]) -> float:
    """Tokens per CPU second of NerModel.tag_sentences (both passes, not tokenising)."""
    total = sum(len(w) for w, _ in data)
    start = time.process_time()
    model.tag_sentences([words for words, _ in data])
    return total / max(time.process_time() - start, 1e-9)


def print_table(table: dict[str, dict[str, float]]) -> None:
    print(f"{'class':<7}{'P':>8}{'R':>8}{'F1':>8}{'gold':>7}{'pred':>7}")
    for label, c in table.items():
        print(f"{label:<7}{c['precision']:>8.4f}{c['recall']:>8.4f}{c['f1']:>8.4f}"
              f"{c['gold']:>7}{c['predicted']:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=7)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--min-weight", type=float, default=0.0,
                        help="drop features whose averaged weights are all below this")
    parser.add_argument("--scale", type=float, default=100.0,
                        help="weights are stored as integers after multiplying by this")
    parser.add_argument("--folds", type=int, default=4,
                        help="the first pass's tags for training the second come from this "
                             "many models, each trained without one block of the data")
    parser.add_argument("--window", type=int, default=10,
                        help="sentences before and after that the second pass looks at")
    parser.add_argument("--dev", type=float, default=0.0,
                        help="hold out this last fraction of the training part as dev set")
    parser.add_argument("--no-write", action="store_true", help="do not write the model file")
    parser.add_argument("--out", type=Path, default=model_path())
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args()

    began = time.perf_counter()
    cpu = time.process_time()
    train_data, test_data = load_split()
    dev_data: list[Sentence] = []
    if args.dev:
        cut = int(len(train_data) * (1 - args.dev))
        train_data, dev_data = train_data[:cut], train_data[cut:]
    model = train(train_data, args.epochs, args.seed, args.min_weight, dev_data,
                  args.folds, args.window)
    model.meta = {
        "corpus": "ANERcorp (CAMeL Lab release, diacritics removed), CC BY-SA 4.0",
        "attribution": "Trained on ANERcorp by Yassine Benajiba, Paolo Rosso and José Miguel "
                       "Benedí (CICLing 2007), as released by the CAMeL Lab under CC BY-SA "
                       "4.0; this model is an adaptation shared under the same licence "
                       "(see raqib/ner/MODEL.md).",
        "licence": "CC-BY-SA-4.0",
        "trained_on": f"ANERCorp.txt lines 1-{TRAIN_LAST_LINE}"
                      + (f" minus the last {args.dev:.0%} of sentences" if args.dev else ""),
        "epochs": args.epochs, "seed": args.seed, "min_weight": args.min_weight,
        "folds": args.folds,
    }
    train_wall, train_cpu = time.perf_counter() - began, time.process_time() - cpu
    size = None
    if not args.no_write:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        model.save(args.out, args.scale)
        size = args.out.stat().st_size
        model = NerModel.from_file(args.out)  # score what is shipped: pruned and rounded
    table = score(model, test_data)
    report = {
        "train_sentences": len(train_data), "train_tokens": sum(len(w) for w, _ in train_data),
        "test_sentences": len(test_data), "test_tokens": sum(len(w) for w, _ in test_data),
        "features": len(model.first.weights) + len(model.second.weights if model.second else {}),
        "model_bytes": size,
        "train_seconds_wall": round(train_wall, 1), "train_seconds_cpu": round(train_cpu, 1),
        "tag_tokens_per_cpu_second": round(tagging_speed(model, test_data)),
        "test": table,
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(f"train: {report['train_sentences']} sentences, {report['train_tokens']} tokens; "
          f"test: {report['test_sentences']} sentences, {report['test_tokens']} tokens")
    print(f"training: {train_wall:.1f} s wall, {train_cpu:.1f} s CPU (reading included); "
          f"{report['features']} features kept"
          + (f"; model file {size / 1e6:.2f} MB" if size else ""))
    print(f"tagging: {report['tag_tokens_per_cpu_second']} tokens per CPU second")
    print("test portion, entity-level exact match:")
    print_table(table)


if __name__ == "__main__":
    main()
