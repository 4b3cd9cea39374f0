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

The fold here is deliberately simple and local; `raqib.text.arabic` will own the richer
normaliser. Changing the fold or the sketch parameters changes stored keys, so they are
versioned by `SKETCH` (recorded next to every stored sketch).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

import numpy as np
from datasketch import MinHash

NUM_PERM = 128
SEED = 20240601
SCHEME = "affine32"  # datasketch >= 2.0: uint32 values, collision-free permutations
BANDS = 32
ROWS = 4  # BANDS * ROWS == NUM_PERM
SHINGLE_WORDS = 3
NEAR_DUPLICATE_THRESHOLD = 0.8
SKETCH = f"w{SHINGLE_WORDS}-{SCHEME}-{NUM_PERM}-s{SEED}"

# Letters written in several ways for the same word in news copy. Mapped after NFD has
# split hamza and madda off alef/waw/ya (those marks are then dropped as combining marks).
_LETTER_FOLD = str.maketrans({
    "\u0640": None,      # tatweel (kashida): stretches a word, carries no meaning
    "\u0671": "\u0627",  # alef wasla -> alef
    "\u0649": "\u064a",  # alef maqsura -> ya (often interchanged in Egyptian copy)
    "\u0629": "\u0647",  # ta marbuta -> ha (often interchanged in informal copy)
    **{chr(0x0660 + d): str(d) for d in range(10)},  # Arabic-Indic digits
    **{chr(0x06F0 + d): str(d) for d in range(10)},  # Eastern Arabic-Indic (Persian) digits
})
_NON_WORD = re.compile(r"[\W_]+")


def fold_text(text: str) -> str:
    """Fold `text` to the key form used for duplicate detection (lossy, never displayed).

    NFKC (presentation forms, ligatures, full-width), casefold, NFD and drop every
    combining mark (Arabic harakat, hamza/madda on alef, Latin accents), fold letter
    variants and digits, and turn every run of punctuation or whitespace into one space.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFD", text)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    text = unicodedata.normalize("NFC", text.translate(_LETTER_FOLD))
    return _NON_WORD.sub(" ", text).strip()


def normalized_text_hash(text: str) -> str:
    """Hex SHA-256 of `fold_text(text)`: equal for copies that differ only in form."""
    return hashlib.sha256(fold_text(text).encode("utf-8")).hexdigest()


def shingles(text: str) -> set[str]:
    """Word 3-shingles of the folded text; a text of 1-2 words is its own single shingle."""
    words = fold_text(text).split()
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
