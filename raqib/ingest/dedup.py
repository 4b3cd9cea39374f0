"""Duplicate detection: an exact key on folded text and MinHash/LSH keys for near copies.

News is syndicated: an agency story reappears on ten sites with a new headline, a local
byline, one sentence cut. Counting those as ten independent reports would corrupt
corroboration later, so every document gets two kinds of key when it is stored:

* `normalized_text_hash` — SHA-256 of the text after folding case, Unicode forms,
  Arabic diacritics/tatweel/letter variants, digits, punctuation and whitespace. Equal
  keys mean "the same words": a re-typed or re-encoded copy.
* `minhash` + `band_keys` — a MinHash sketch over word 3-shingles, cut into LSH bands.
  Two texts whose shingle sets have Jaccard similarity s share at least one band with
  probability 1 - (1 - s**ROWS)**BANDS (≈1.0 at s = 0.8, ≈0.0002 at s = 0.05), so the
  store finds candidates with an indexed lookup on band keys instead of comparing a new
  document with every stored one, then verifies each candidate with `jaccard`.

Both keys start from the project's text fold (`raqib.text.arabic.fold`), so that what
the matcher treats as one spelling is one spelling here too. Changing the fold or the
sketch parameters changes stored keys: sketches are versioned by `SKETCH` (recorded next
to every stored sketch), and a store migration recomputes the keys of stored documents
(`raqib.store.migrations.recompute_dedup_keys`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash

from raqib.text.arabic import fold

NUM_PERM = 128
SEED = 20240601
SCHEME = "affine32"  # datasketch >= 2.0: uint32 values, collision-free permutations
BANDS = 32
ROWS = 4  # BANDS * ROWS == NUM_PERM
SHINGLE_WORDS = 3
NEAR_DUPLICATE_THRESHOLD = 0.8
# 1 was a local NFKC/NFD fold (schema version <= 2); 2 is `raqib.text.arabic.fold` plus
# the extras of `fold_text`. Bump it, and add a migration calling
# `recompute_dedup_keys`, whenever `fold_text` changes what it returns.
FOLD_VERSION = 2
SKETCH = f"w{SHINGLE_WORDS}-{SCHEME}-{NUM_PERM}-s{SEED}-fold{FOLD_VERSION}"

_NON_WORD = re.compile(r"[\W_]+")


def fold_text(text: str) -> str:
    """Fold `text` to the key form used for duplicate detection (lossy, never displayed).

    The project's fold (`raqib.text.arabic.fold`: case, presentation forms, Arabic
    diacritics, tatweel, letter variants, digits, invisible controls), plus two things
    only a duplicate key wants, because copies differ in them without saying anything
    different: Latin accents are dropped (a copy re-typed without them is the same story),
    and every run of punctuation, symbols or whitespace becomes one space (re-encoded
    copies differ most in quotes, dashes and spacing).
    """
    decomposed = unicodedata.normalize("NFD", fold(text))
    if not decomposed.isascii():
        # The fold has already removed the Arabic marks; what is left are accents.
        decomposed = unicodedata.normalize(
            "NFC", "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn"))
    return _NON_WORD.sub(" ", decomposed).strip()


def normalized_text_hash(text: str) -> str:
    """Hex SHA-256 of `fold_text(text)`: equal for copies that differ only in form."""
    return _hash_folded(fold_text(text))


def shingles(text: str) -> set[str]:
    """Word 3-shingles of the folded text; a text of 1-2 words is its own single shingle."""
    return _shingles_folded(fold_text(text))


@dataclass(frozen=True, slots=True)
class DocumentKeys:
    """A document's duplicate keys as the store records them."""

    text_hash: str
    sketch: MinHash | None  # None when the text has no words
    bands: list[str]


def document_keys(text: str) -> DocumentKeys:
    """The exact key, sketch and band keys of `text` (one fold for all three).

    Ingest and the migration that recomputes stored keys both use this, so a migrated
    document carries exactly the keys it would get if it were ingested again.
    """
    folded = fold_text(text)
    words = _shingles_folded(folded)
    sketch = minhash_of(words) if words else None
    return DocumentKeys(_hash_folded(folded), sketch,
                        band_keys(sketch) if sketch is not None else [])


def _hash_folded(folded: str) -> str:
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()


def _shingles_folded(folded: str) -> set[str]:
    words = folded.split()
    if len(words) < SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i:i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


def minhash_of(items: set[str]) -> MinHash:
    """MinHash sketch of a shingle set with the project's fixed parameters."""
    mh = MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)
    mh.update_batch([s.encode("utf-8") for s in sorted(items)])
    return mh


def minhash(text: str) -> MinHash:
    """MinHash sketch of the text's word 3-shingles (empty text gives an empty sketch)."""
    return minhash_of(shingles(text))


def band_keys(mh: MinHash) -> list[str]:
    """LSH band keys: band index (2 digits) + 16 hex of a hash of that band's rows.

    The index is part of the key so that equal values in different bands never match.
    """
    values = np.asarray(mh.hashvalues).astype("<u4")
    keys = []
    for band in range(BANDS):
        rows = values[band * ROWS:(band + 1) * ROWS].tobytes()
        keys.append(f"{band:02d}" + hashlib.blake2b(rows, digest_size=8).hexdigest())
    return keys


def jaccard(a: MinHash, b: MinHash) -> float:
    """Estimated Jaccard similarity of the two shingle sets (fraction of equal slots)."""
    return float(a.jaccard(b))


def minhash_to_bytes(mh: MinHash) -> bytes:
    """The sketch's hash values as little-endian uint32 bytes (4 * NUM_PERM bytes)."""
    return np.asarray(mh.hashvalues).astype("<u4").tobytes()


def minhash_from_bytes(data: bytes) -> MinHash:
    """Rebuild a sketch stored with `minhash_to_bytes`."""
    values = np.frombuffer(data, dtype="<u4").astype(np.uint32)
    return MinHash(seed=SEED, hashvalues=values, scheme=SCHEME)
