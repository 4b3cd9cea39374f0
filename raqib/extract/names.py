"""Rules for names the knowledge base does not know: the data, and the English finders.

The data (data/names.yaml) lists titles, role nouns, verbs of saying, organisation heads,
ship prefixes and place cues. `EnglishNames` applies it to one English document and
proposes `Candidate` spans; `raqib.extract.entities` decides which ones it keeps (a span
that the knowledge base or an earlier rule already holds is never proposed twice).

English names are read as *runs*: capitalised words joined by single spaces, with
middle initials ("Stephen J. Townsend"), particles ("Adel al-Jubeir", "Staffan de
Mistura", "al- Jaafari" as a careless writer spaces it), a quoted nickname inside a
person's name ("John "J.D." Dorrian") and, for organisations, connectors ("Office of
Foreign Assets Control"). A run never crosses a line end, a comma or a possessive, so
headings and lists do not glue names together. A capitalised run alone is not a name:
every rule needs a cue (a title, a verb of saying, an organisation head, a place cue),
which keeps sentence-initial words, headings and months out.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import NamedTuple

import ahocorasick
import yaml

from raqib.text.arabic import fold

# A word: dotted initials ("U.S.", "J.D."), or letters and digits with inner hyphens or
# apostrophes ("Al-Ja’afari", "KC-135R", "Abadi’s"); anything else is one punctuation mark.
EN_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|[^\W_]+(?:['’\-][^\W_]+)*|[^\w\s]")
POSSESSIVE = ("’s", "'s")
OPEN_QUOTES = frozenset("\"“'‘")
CLOSE_QUOTES = frozenset("\"”'’")
Free = Callable[[int, int], bool]
# Spaces between the words of one name, with the invisible marks some sites put there.
SP = r"[ \u00a0\u200b-\u200f\u2060\ufeff]"  # one such space, as a regex class
SPACES = frozenset(" \u00a0\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")
# Compiled once; the ones matched at an offset (`pattern.match(text, pos)`) spare a copy
# of the rest of the text per call.
HULL_NUMBER = re.compile(SP + r"*\(([A-Z]{1,4}[ \-]?\d{1,4})\)")
COMMA_AFTER = re.compile(r"," + SP + r"*")
SPACED_WORD = re.compile(SP + r"(\w+)\b")
TITLE_GAP = re.compile(SP + r"*(,)?" + SP + r"*")
TITLE_QUALIFIER = re.compile(r"(?:of|for|to)" + SP + r"+(?:the" + SP + r"+)?")
# "Ashot Mkrtychev (Mkrtychev)", "Tefcas Marine SDN BHD ( Tefcas Marine)": the short
# form a designation notice gives a name, in brackets right after it.
SHORT_FORM = re.compile(r"\(" + SP + r"?([A-Z][\w’'\-]*(?:" + SP + r"[\w’'\-]+){0,3})"
                        + SP + r"?\)")
QUOTED_NAME = re.compile(r"[\"“'‘]([^\"“”'’\n]{2,40})[\"”'’]")
OF_THE_BEFORE = re.compile(r"\bof" + SP + "+(?:the" + SP + "+)?$")
HYPHEN_LOWER_END = re.compile(r"-[a-z]+$")
DOTTED_INITIALS = re.compile(r"(?:[^\W\d_]\.){2,}")
HYPHEN_SPACES = re.compile(r"-\s+")
WORD_CHARS = re.compile(r"\w+")
OF_CONNECTOR = frozenset({"of"})
CASE_FOLD_EXTRA = str.maketrans({"ſ": "s", "ı": "i", "K": "k"})


class NameRulesError(ValueError):
    """The names rule file is malformed; the message names the key."""


@dataclass(frozen=True, slots=True)
class NameRules:
    person_titles: dict[str, tuple[str, ...]]
    person_roles: tuple[str, ...]
    saying_verbs: tuple[str, ...]
    name_particles: frozenset[str]
    ar_org_heads: frozenset[str]
    en_org_lead: frozenset[str]
    en_org_tail: dict[str, str]  # last word(s) of an organisation's name -> entity type
    en_connectors: frozenset[str]
    en_legal_forms: frozenset[str]  # casefolded: "llc", "co.", "limited"
    en_legal_lead: frozenset[str]  # "LLC" of "LLC Sky Frame"
    vessel_prefixes: tuple[str, ...]
    ar_vessel_cues: tuple[str, ...]
    en_vessel_cues: tuple[str, ...]
    en_place_before: tuple[str, ...]
    en_place_after: frozenset[str]
    en_place_lead: tuple[str, ...]
    en_place_prepositions: frozenset[str]
    en_place_tail: tuple[str, ...]
    en_place_descriptors: tuple[str, ...]  # "-based": "Iran-based X" locates X
    ar_place_before: frozenset[str]
    ar_place_stop: frozenset[str]
    blocked_leads: frozenset[str]
    blocked_phrases: tuple[str, ...]
    weak_titles: frozenset[str]
    not_name_words: frozenset[str]
    title_words: frozenset[str]  # every word of an English title, without its dot
    ar_stopwords: frozenset[str]
    en_stopwords: frozenset[str]


def _node(data: dict, keys: tuple[str, ...]) -> object:
    node: object = data
    for key in keys:
        if not isinstance(node, dict) or key not in node:
            raise NameRulesError(f"names.yaml: missing key {'.'.join(keys)}")
        node = node[key]
    return node


def _strings(data: dict, *keys: str) -> tuple[str, ...]:
    node = _node(data, keys)
    if not isinstance(node, list) or not all(isinstance(s, str) and s.strip() for s in node):
        raise NameRulesError(f"names.yaml: {'.'.join(keys)} must be a list of non-empty strings")
    return tuple(s.strip() for s in node)


def _typed_tails(data: dict) -> dict[str, str]:
    node = _node(data, ("org_heads", "en_tail"))
    if not isinstance(node, dict) or not node:
        raise NameRulesError("names.yaml: org_heads.en_tail must map entity types to lists")
    tails: dict[str, str] = {}
    for kind in node:
        if kind not in ("organization", "armed_group"):
            raise NameRulesError(f"names.yaml: org_heads.en_tail: unknown type {kind!r}")
        for word in _strings(data, "org_heads", "en_tail", kind):
            tails[word] = kind
    return tails


def parse_name_rules(data: dict) -> NameRules:
    if not isinstance(data, dict):
        raise NameRulesError("names.yaml: expected a mapping at the top level")
    tails = _typed_tails(data)
    leads = frozenset(_strings(data, "org_heads", "en_lead"))
    titles = {lang: _strings(data, "person_titles", lang) for lang in ("ar", "en")}
    title_words = {w.rstrip(".") for t in titles["en"] for w in t.split()}
    place_words = {w for p in _strings(data, "location_cues", "en_name_tail") for w in p.split()}
    return NameRules(
        person_titles=titles,
        person_roles=_strings(data, "person_roles", "en"),
        saying_verbs=_strings(data, "saying_verbs", "en"),
        name_particles=frozenset(_strings(data, "name_particles", "en")),
        ar_org_heads=frozenset(fold(s) for s in _strings(data, "org_heads", "ar")),
        en_org_lead=leads,
        en_org_tail=tails,
        en_connectors=frozenset(_strings(data, "org_heads", "en_connectors")),
        en_legal_forms=frozenset(s.casefold() for s in _strings(data, "org_heads",
                                                               "en_legal_forms")),
        en_legal_lead=frozenset(_strings(data, "org_heads", "en_legal_lead")),
        vessel_prefixes=_strings(data, "vessel_prefixes", "en"),
        ar_vessel_cues=tuple(fold(s) for s in _strings(data, "vessel_cues", "ar")),
        en_vessel_cues=_strings(data, "vessel_cues", "en"),
        en_place_before=_strings(data, "location_cues", "en_before"),
        en_place_after=frozenset(_strings(data, "location_cues", "en_after")),
        en_place_lead=_strings(data, "location_cues", "en_name_lead"),
        en_place_prepositions=frozenset(_strings(data, "location_cues", "en_prepositions")),
        en_place_tail=_strings(data, "location_cues", "en_name_tail"),
        en_place_descriptors=_strings(data, "location_cues", "en_descriptor_suffixes"),
        ar_place_before=frozenset(fold(s) for s in _strings(data, "location_cues", "ar_before")),
        ar_place_stop=frozenset(fold(s) for s in _strings(data, "location_cues", "ar_stop")),
        blocked_leads=frozenset(_strings(data, "blocked_leads", "en")),
        blocked_phrases=_strings(data, "blocked_phrases", "en"),
        weak_titles=frozenset(_strings(data, "weak_titles", "en")),
        # A person's name holds none of these: titles, organisation and place heads.
        not_name_words=frozenset(_strings(data, "not_name_words", "en")) | leads
        | {w for t in tails for w in t.split()} | title_words | place_words,
        title_words=frozenset(title_words),
        ar_stopwords=frozenset(fold(s) for s in _strings(data, "name_stopwords", "ar")),
        en_stopwords=frozenset(_strings(data, "name_stopwords", "en")),
    )


@cache
def load_name_rules() -> NameRules:
    text = resources.files("raqib.extract").joinpath("data/names.yaml").read_text("utf-8")
    return parse_name_rules(yaml.safe_load(text))


# --- what the finders propose -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Candidate:
    """A proposed name: `type` None marks a span that must not become an entity at all
    ("Operation Inherent Resolve"); `extra` are further spans of the same entity (a
    ship's hull number); `alias` a shorter form that later refers to it ("Forbin")."""

    start: int
    end: int
    type: str | None
    rule: str
    name: str
    extra: tuple[tuple[int, int], ...] = ()
    alias: str = ""


class Word(NamedTuple):  # a tuple: a document makes thousands, and tuples are quick to build
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Piece:
    """Part of a run: word indices [first, last], its kind and its character span."""

    first: int
    last: int
    kind: str  # cap | acronym | initial | particle | nick | connector | number
    start: int
    end: int
    possessive: bool = False


def organisation_key(name: str, rules: NameRules) -> str:
    """The name without its trailing legal forms, casefolded: "Albarraq Shipping Co."
    and "Albarraq Shipping" are one company."""
    words = name.casefold().split()
    while len(words) > 1 and words[-1] in rules.en_legal_forms:
        words.pop()
    return " ".join(words)


@lru_cache(maxsize=1 << 16)  # the run reader asks about the same words again and again
def is_cap(word: str) -> bool:
    """Capitalised with some lower case: "Haddad", "Al-Jubeir", "McDonald", not "ISIL"."""
    return word[:1].isupper() and any(ch.islower() for ch in word)


@lru_cache(maxsize=1 << 16)
def is_acronym(word: str) -> bool:
    letters = [ch for ch in word if ch.isalpha()]
    return len(letters) >= 2 and all(ch.isupper() for ch in letters)


def heading_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines that look like headings: no closing punctuation and mostly
    capitalised words (title case or ALL CAPS). Rules do not read names there."""
    spans, offset = [], 0
    for line in text.split("\n"):
        words = re.findall(r"[^\W\d_][^\W_]*", line)
        long = [w for w in words if len(w) >= 4]
        if (len(words) >= 3 and long and not re.search(r"[.!?:;\"”]\s*$", line)
                and sum(w[0].isupper() for w in long) >= 0.6 * len(long)):
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


def _phrase_pattern(phrases: tuple[str, ...], *, before_name: bool) -> re.Pattern[str]:
    """Longest phrase first; a lower-case phrase also matches capitalised ("Near")."""
    alternatives = "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))
    tail = SP + r"+" if before_name else r"\b"
    return re.compile(rf"(?<![\w\-/])(?:{alternatives}){tail}")


def _by_size(phrases: tuple[str, ...]) -> tuple[tuple[int, frozenset[str]], ...]:
    """The phrases grouped by their number of words."""
    sizes: dict[int, set[str]] = {}
    for phrase in phrases:
        sizes.setdefault(len(phrase.split()), set()).add(phrase)
    return tuple((n, frozenset(forms)) for n, forms in sorted(sizes.items()))


# --- English -------------------------------------------------------------------------------


class EnglishNames:
    """The English finders for one set of rules; `find(...)` runs them on one text."""

    def __init__(self, rules: NameRules) -> None:
        self.rules = rules
        self.opener = run_opener(rules)
        self.prefix_re = re.compile(
            r"(?<![\w/])(?:" + "|".join(re.escape(p) for p in sorted(
                rules.vessel_prefixes, key=len, reverse=True)) + r")" + SP + "+")
        self.vessel_cue_re = _phrase_pattern(rules.en_vessel_cues, before_name=True)
        self.place_before_re = _phrase_pattern(rules.en_place_before, before_name=True)
        self.blocked_re = _phrase_pattern(rules.blocked_phrases, before_name=False)
        verbs = "|".join(re.escape(v) for v in rules.saying_verbs)
        age = r"," + SP + r"*(?:aged" + SP + r"+)?\d{1,3}" + SP + r"*,"
        apposition = (r"," + SP + r"*(?:a|an|the|who|whose|his|her|its|their)\b"
                      r"[^,.;:!?\n\"“”]{0,90},")
        # "X said", "X, 61, said", "X, the minister, told", "..., X, told".
        self.saying_after = re.compile(
            r"^(?:" + age + "|" + apposition + ")?,?" + SP + r"*(?:" + verbs + r")\b")
        self.saying_before = re.compile(r"(?:^|\W)(?:" + verbs + r")" + SP + r"*,?" + SP + r"*$",
                                        re.IGNORECASE)
        self.age_after = re.compile(r"^" + age)
        self.age_at = re.compile(age)  # `age_after` for `match(text, pos)`, where ^ fails
        # Where verbs of saying start, in any case: a run with none near it cannot be a
        # speaker (`_speaker_skip`). An Aho-Corasick pass over the lower-cased text finds
        # them, overlaps included, 20x faster than an IGNORECASE regex; the regex (with a
        # lookahead, for overlaps) stays for the rare text that lower-casing lengthens.
        self.verb_automaton = ahocorasick.Automaton()
        for verb in rules.saying_verbs:
            self.verb_automaton.add_word(verb.lower(), len(verb))
        self.verb_automaton.make_automaton()
        self.verb_starts_re = re.compile(r"(?=(?:" + verbs + r"))", re.IGNORECASE)
        # Words an organisation run must hold (`_organisation_skip`), with and without
        # a final dot ("Co." is read from "Co" and ".").
        org_words = {word for phrase in (*rules.en_org_tail, *rules.en_org_lead,
                                         *rules.en_legal_lead)
                     for word in phrase.split()}
        self.organisation_words = frozenset(org_words | {w.rstrip(".") for w in org_words})
        # Words a place run must hold (or be followed by) to be a place (`_place_skip`).
        self.place_words = rules.en_place_after | frozenset(
            word for phrase in (*rules.en_place_lead, *rules.en_place_tail)
            for word in phrase.split() if word != "of")
        # Place leads and tails by their number of words: a run's first or last n words
        # are then looked up once per size, not compared with every phrase.
        self.place_leads = _by_size(rules.en_place_lead)
        self.place_tails = _by_size(rules.en_place_tail)

    def find(self, text: str, free: Free, title_spans: list[tuple[int, int]],
             role_spans: list[tuple[int, int]], place_at: Callable[[int], bool],
             ) -> Iterator[Candidate]:
        """Candidates in rule order; `free` is re-read after each accepted candidate.

        `title_spans` and `role_spans` are where person titles and role nouns stand;
        `place_at(offset)` says whether a known place or state starts at `offset`.
        """
        doc = _EnglishDoc(text, self.rules, free, heading_lines(text), self.opener)
        yield from self._blocked(doc)
        yield from self._vessels(doc)
        yield from self._titled_persons(doc, title_spans, need_two=False, rule="title-before-name")
        yield from self._titled_persons(doc, role_spans, need_two=True, rule="role-before-name")
        yield from self._short_forms(doc)
        yield from self._speakers(doc)
        yield from self._organisations(doc, title_spans)
        yield from self._places(doc, place_at)

    # -- operations, resolutions ---------------------------------------------------------
    def _blocked(self, doc: _EnglishDoc) -> Iterator[Candidate]:
        for match in self.blocked_re.finditer(doc.text):
            yield Candidate(match.start(), match.end(), None, "blocked-name", "")
        for i, word in enumerate(doc.words):
            if word.text in self.rules.blocked_leads and doc.free(word.start, word.end):
                pieces = doc.run(i + 1, acronyms=True, numbers=True) if doc.joined(i, i + 1) else []
                if pieces:
                    yield Candidate(word.start, pieces[-1].end, None, "blocked-name", "")

    # -- ships ---------------------------------------------------------------------------
    def _vessels(self, doc: _EnglishDoc) -> Iterator[Candidate]:
        for match in self.prefix_re.finditer(doc.text):
            i = doc.index.get(match.end())
            if i is None or doc.in_heading(match.start()):
                continue
            pieces = doc.run(i, acronyms=True, numbers=True, particles=True, limit=4)
            if not pieces or pieces[0].kind not in ("cap", "acronym"):
                continue
            prefix = match.group().strip()
            yield self._vessel(doc, match.start(), pieces, prefix)
        for match in self.vessel_cue_re.finditer(doc.text):
            i = doc.index.get(match.end())
            if i is None or doc.in_heading(match.start()):
                continue
            quoted = doc.quoted(i)
            if quoted is not None:
                start, end = quoted
                yield Candidate(start, end, "vessel", "vessel-cue", doc.text[start:end])
                continue
            pieces = doc.run(i, acronyms=True, numbers=True, limit=4)
            if pieces and pieces[0].kind == "cap" and not doc.has_stopword(pieces):
                yield self._vessel(doc, pieces[0].start, pieces, "")

    def _vessel(self, doc: _EnglishDoc, start: int, pieces: list[Piece],
                prefix: str) -> Candidate:
        name = doc.display(pieces)
        end = pieces[-1].end
        hull = HULL_NUMBER.match(doc.text, end)
        extra = ((hull.start(1), hull.end(1)),) if hull else ()
        return Candidate(start, end, "vessel", "vessel-prefix" if prefix else "vessel-cue",
                         f"{prefix} {name}".strip(), extra=extra, alias=name)

    # -- persons after titles and role nouns ---------------------------------------------
    def _titled_persons(self, doc: _EnglishDoc, spans: list[tuple[int, int]], *,
                        need_two: bool, rule: str) -> Iterator[Candidate]:
        title_at = {start: end for start, end in spans}
        for start, end in spans:
            weak = " ".join(doc.text[start:end].split()) in self.rules.weak_titles
            if doc.in_heading(start) or (weak and OF_THE_BEFORE.search(
                    doc.text[max(0, start - 12):start])):
                continue  # "Department of Justice ...", "Attorney General of the ..."
            # A role noun's "of X" names its organisation ("leader of the Puntland
            # Piracy Network"); a title's ("Minister for the Middle East") may not.
            i = doc.after_title(end, title_at, allow_comma=True, qualifiers=not need_two)
            if i is None:
                continue
            pieces = doc.run(i, person=True, limit=6)
            comma = doc.text[end:doc.words[i].start].strip().startswith(",")
            pieces = doc.person_name(pieces, min_words=2 if need_two or comma or weak else 1)
            if pieces:
                yield Candidate(pieces[0].start, pieces[-1].end, "person", rule,
                                doc.display(pieces))

    # -- "Full Name (Short)" -------------------------------------------------------------
    def _short_forms(self, doc: _EnglishDoc) -> Iterator[Candidate]:
        """A name followed by its own short form in brackets. Short forms made of the
        name's first words drop a company's legal form ("Versor S.R.O. (Versor)"); made
        of its later words, they are a person's surname ("Ashot Mkrtychev (Mkrtychev)")."""
        for match in SHORT_FORM.finditer(doc.text):
            bracket = doc.index.get(match.start())
            if not bracket or doc.in_heading(match.start()):
                continue
            last = bracket - 1
            gap = doc.text[doc.words[last].end:match.start()]
            if len(gap) > 1 or any(ch not in SPACES for ch in gap):
                continue
            short = match.group(1).split()
            found = self._short_form_owner(doc, last, short)
            if found is not None:
                kind, pieces = found
                alias = " ".join(short) if kind != "person" else ""
                yield Candidate(pieces[0].start, pieces[-1].end, kind, "short-form",
                                doc.display(pieces), alias=alias)

    def _short_form_owner(self, doc: _EnglishDoc, last: int, short: list[str],
                          ) -> tuple[str, list[Piece]] | None:
        """(type, pieces) of the longest name ending at word `last` whose words hold
        every word of `short` and more."""
        first = last
        while first > 0 and last - first < 9 and doc.joined(first - 1, first) and \
                doc.words[first - 1].text not in self.rules.en_stopwords:
            if self._name_piece_at(doc, first - 1):
                first -= 1
            elif doc.words[first - 1].text in self.rules.en_connectors and first > 1 and \
                    doc.joined(first - 2, first - 1) and self._name_piece_at(doc, first - 2):
                first -= 2  # "Al-Jabri General Trading and Investment Co (Al-Jabri Co)"
            else:
                break
        wanted = [w.casefold() for w in short]
        for start in range(first, last + 1):  # the longest company name first
            pieces = doc.run(start, acronyms=True, connectors=self.rules.en_connectors,
                             limit=8)
            if pieces and pieces[-1].last == last and pieces[0].kind == "cap":
                kind = self._short_form_company(doc, pieces, wanted)
                if kind is not None:
                    return kind, pieces
        # "Under Secretary John Hurley (Hurley)", "ISSE YUSUF Isse Yusuf (Yusuf)": the
        # name starts after a title or a heading in capitals.
        while first < last and (doc.words[first].text.rstrip(".") in self.rules.not_name_words
                                or is_acronym(doc.words[first].text)):
            first += 1
        pieces = doc.run(first, person=True, limit=6)
        words = [doc.piece_text(p).casefold() for p in pieces]
        # "Mohamed Ali Al-Houthi (Mohamed Ali)": the short form may be the first names.
        if not pieces or pieces[-1].last != last or len(words) <= len(wanted) or \
                not all(w in words for w in wanted):
            return None
        # The bracketed surname vouches for a long name ("Hasan Ahmad Hasan Muhammad
        # al-Kuhlani (Hasan Al-Kuhlani)"): judged four words at a time.
        person = all(doc.person_name(pieces[k:k + 4], min_words=1)
                     for k in range(0, len(pieces), 4) if pieces[k].kind == "cap")
        return ("person", pieces) if person and pieces[0].kind == "cap" else None

    @staticmethod
    def _name_piece_at(doc: _EnglishDoc, j: int) -> bool:
        return doc._piece(j, person=False, acronyms=True, numbers=False,
                          particles=True) is not None

    def _short_form_company(self, doc: _EnglishDoc, pieces: list[Piece], wanted: list[str],
                            ) -> str | None:
        """The type when `pieces` name a company whose short form is `wanted`: the name
        ends in an organisation tail, or it is the short form with legal forms before or
        after it ("Versor S.R.O.", "LLC Sky Frame")."""
        words = [doc.piece_text(p).casefold() for p in pieces]
        size = len(wanted)
        if len(words) <= size or not all(w in words for w in wanted):
            return None
        found = self._organisation(doc, pieces)
        if found is not None and found[1][-1].last == pieces[-1].last:
            return found[0]
        legal = self.rules.en_legal_forms
        if words[:size] == wanted:
            rest = pieces[size:]
        elif words[-size:] == wanted:
            rest = pieces[:-size]
        else:
            return None
        if all(p.kind == "acronym" or doc.piece_text(p).casefold() in legal for p in rest):
            return "organization"
        return None

    # -- organisations -----------------------------------------------------------------
    def _organisations(self, doc: _EnglishDoc, title_spans: list[tuple[int, int]],
                       ) -> Iterator[Candidate]:
        rules = self.rules
        # A run ends where a title stands before a person found earlier ("Ministry of
        # Defence spokesman John Smith"), not at every "General" ("General Trading LLC").
        before_person = {start for start, end in title_spans
                         if not doc.free(*doc.next_word_span(end))}
        for pieces in doc.runs(skip=lambda i: self._organisation_skip(doc, i),
                               acronyms=True, connectors=rules.en_connectors,
                               stop_at=before_person):
            if doc.in_heading(pieces[0].start):
                continue
            found = self._organisation(doc, doc.without_leading_title(pieces))
            if found is not None:
                kind, cut = found
                yield Candidate(cut[0].start, cut[-1].end, kind, "organisation-head",
                                doc.display(cut))

    def _organisation(self, doc: _EnglishDoc, pieces: list[Piece],
                      ) -> tuple[str, list[Piece]] | None:
        """(type, pieces) when the run, or its longest head, names an organisation:
        it ends in a tail word ("... Trading LLC", "... Task Force"), or it opens with a
        head and a connector ("Ministry of Defence", "Office of Foreign Assets Control")."""
        rules = self.rules
        words = [doc.piece_text(p) for p in pieces]
        for stop in range(len(pieces), 1, -1):  # the longest prefix that ends in a tail
            if pieces[stop - 1].kind == "connector":
                continue
            if sum(p.kind != "connector" for p in pieces[:stop]) < 2:
                break
            for size in (2, 1):
                tail = " ".join(words[max(0, stop - size):stop])
                if tail in rules.en_org_tail:
                    return rules.en_org_tail[tail], pieces[:stop]
        if len(pieces) >= 3 and words[0] in rules.en_org_lead and pieces[1].kind == "connector":
            return rules.en_org_tail.get(words[0], "organization"), pieces
        if len(pieces) >= 2 and words[0] in rules.en_legal_lead and pieces[1].kind == "cap":
            return "organization", pieces  # "LLC Sky Frame"
        return None

    # -- places ----------------------------------------------------------------------------
    def _places(self, doc: _EnglishDoc, place_at: Callable[[int], bool]) -> Iterator[Candidate]:
        rules = self.rules
        for match in self.place_before_re.finditer(doc.text):
            i = doc.index.get(match.end())
            if i is None or doc.in_heading(match.start()):
                continue
            pieces = doc.place_name(doc.run(i, particles=True, limit=4))
            if pieces:
                end = doc.with_place_suffix(pieces[-1].end)
                yield Candidate(pieces[0].start, end, "location", "place-cue",
                                doc.text[pieces[0].start:end])
        for pieces in doc.runs(skip=lambda i: self._place_skip(doc, i),
                               connectors=OF_CONNECTOR, limit=5):
            if any(p.kind == "acronym" for p in pieces) or doc.in_heading(pieces[0].start):
                continue
            words = [doc.piece_text(p) for p in pieces]
            end = doc.with_place_suffix(pieces[-1].end)
            lead = any(" ".join(words[:n]) in forms for n, forms in self.place_leads)
            tail = any(" ".join(words[-n:]) in forms for n, forms in self.place_tails)
            if end > pieces[-1].end and doc.place_name(pieces):  # "Diyala province"
                yield Candidate(pieces[0].start, end, "location", "place-name",
                                doc.text[pieces[0].start:end])
            elif len(words) >= 2 and (words[-1] in rules.en_place_after or lead or tail) \
                    and (lead or words[0] not in rules.not_name_words):
                yield Candidate(pieces[0].start, pieces[-1].end, "location", "place-name",
                                doc.display(pieces))
        yield from self._places_before_country(doc, place_at)

    def _places_before_country(self, doc: _EnglishDoc, place_at: Callable[[int], bool],
                               ) -> Iterator[Candidate]:
        """"in Palmyra, Syria": a name after a preposition and before ", <country>"."""
        prepositions = self.rules.en_place_prepositions
        for i in [i for i, w in enumerate(doc.words[:-1]) if w.text in prepositions]:
            word = doc.words[i]
            if not doc.joined(i, i + 1):
                continue
            pieces = doc.place_name(doc.run(i + 1, particles=True, limit=3))
            if not pieces or doc.in_heading(word.start):
                continue
            after = COMMA_AFTER.match(doc.text, pieces[-1].end)
            if after and place_at(after.end()):
                yield Candidate(pieces[0].start, pieces[-1].end, "location", "place-country",
                                doc.display(pieces))

    # -- speakers: "X said", "said X", "according to X", "X, 61," --------------------------
    def _speakers(self, doc: _EnglishDoc) -> Iterator[Candidate]:
        verbs = self._verb_starts(doc.text)
        for pieces in doc.runs(skip=lambda i: self._speaker_skip(doc, verbs, i),
                               person=True, limit=6):
            if doc.in_heading(pieces[0].start):
                continue
            after = doc.text[pieces[-1].end:pieces[-1].end + 140]
            before = doc.text[max(0, pieces[0].start - 40):pieces[0].start]
            cued = (self.saying_after.match(after) or self.age_after.match(after)
                    or self.saying_before.search(before))
            if not cued:
                continue
            name = doc.person_name(pieces, min_words=2)
            if name:
                yield Candidate(name[0].start, name[-1].end, "person", "speaker-name",
                                doc.display(name))


    def _verb_starts(self, text: str) -> list[int]:
        """Sorted offsets where a verb of saying starts, matched without case."""
        # re's IGNORECASE also equates "ſ" with "s" and "ı" with "i"; so does this.
        lower = text.lower().translate(CASE_FOLD_EXTRA)
        if len(lower) != len(text):
            return [m.start() for m in self.verb_starts_re.finditer(text)]
        return sorted(end - size + 1 for end, size in self.verb_automaton.iter(lower))

    def _speaker_skip(self, doc: _EnglishDoc, verbs: list[int], i: int) -> int | None:
        """Where to resume when no speaker run can start at word i, else None.

        A person run from word i ends at or before the first word that no person name
        can hold (`doc.stop_after(i)`), at offset E at the latest. The cues need a verb
        starting within 40 characters before the run or 140 after its end, or an age
        (", 61,") right after it; since a comma stops the run, that comma stands at E.
        When neither is there, no run starting before the stop word can be cued
        either (its window lies inside this one), so the walk resumes there."""
        stop = doc.stop_after(i)
        end = doc.words[stop - 1].end if stop < len(doc.words) else len(doc.text)
        first = bisect.bisect_left(verbs, doc.words[i].start - 40)
        if first < len(verbs) and verbs[first] < end + 140:
            return None
        if self.age_at.match(doc.text, end):
            return None
        return stop

    def _organisation_skip(self, doc: _EnglishDoc, i: int) -> int | None:
        """Where to resume when no organisation run can start at word i, else None: an
        organisation's name holds a head or tail word ("Ministry", "LLC", "Force")."""
        stop = doc.stop_after(i, self.rules.en_connectors)
        keys = self.organisation_words
        if any(w.text in keys or w.text.rstrip(".") in keys or _first_part(w.text) in keys
               for w in doc.words[i:stop]):
            return None
        return stop

    def _place_skip(self, doc: _EnglishDoc, i: int) -> int | None:
        """Where to resume when no place run can start at word i, else None: a place
        name needs a lead, tail or suffix word ("Lake", "River", "province") in it or
        right after it, so before the first word no run can cross, or at that word."""
        stop = doc.stop_after(i, OF_CONNECTOR)
        words = doc.words[i:stop + 1]
        keys = self.place_words
        # A suffix is read as `\w+` ("province" of "province-level"), a run's last
        # word without its possessive: the word's first part stands for both.
        if any(w.text in keys or _first_part(w.text) in keys for w in words):
            return None
        return stop


def _first_part(word: str) -> str:
    match = WORD_CHARS.match(word)
    return match.group() if match else word


def run_opener(rules: NameRules) -> Callable[[str], bool]:
    """A cached test of whether a word, as written, can open a run (`_opens_run`)."""
    particles, stopwords = rules.name_particles, rules.en_stopwords

    @lru_cache(maxsize=1 << 16)
    def opener(text: str) -> bool:
        if text in stopwords:
            return False
        head, _, rest = text.partition("-")
        return bool((rest and head in particles and is_cap(rest))
                    or (is_cap(text) and not HYPHEN_LOWER_END.search(text))
                    or DOTTED_INITIALS.fullmatch(text) or is_acronym(text))

    return opener


# Punctuation that no name piece holds or crosses.
RUN_BREAKS = frozenset(",;:()")
SHORT_SCAN = 48  # words `stop_after` reads before it lists every stop of the text


def _stops_runs(text: str, connectors: frozenset[str], particles: frozenset[str]) -> bool:
    """A word no run reading `connectors` can hold or cross (see `stop_after`)."""
    return text in RUN_BREAKS or (text[:1].islower() and "." not in text
                                  and text not in connectors
                                  and text.split("-", 1)[0] not in particles)


class _EnglishDoc:
    """One English text as words, with the run reader the finders share."""

    def __init__(self, text: str, rules: NameRules, free: Free,
                 headings: list[tuple[int, int]], opener: Callable[[str], bool]) -> None:
        self.text = text
        self.rules = rules
        self.free = free
        self.headings = headings
        self._heading_starts = [start for start, _ in headings]
        new = tuple.__new__  # what Word._make does, without its call overhead
        self.words: list[Word] = [new(Word, (m.group(), m.start(), m.end()))
                                  for m in EN_TOKEN.finditer(text)]
        # A word's piece depends only on the text and the reading options, and every
        # finder re-reads the same words: each (word, options) is read once.
        self._pieces: dict[tuple[int, bool, bool, bool, bool], Piece | None] = {}
        self._joined: dict[int, bool] = {}  # word i -> joined(i, i + 1)
        self._run_starts: list[int] | None = None  # see `runs`
        self._opener = opener
        self.index = {w.start: i for i, w in enumerate(self.words)}
        # Where a run may start: a capital, or a particle name ("al-Tanawi").
        self.starts = [i for i, w in enumerate(self.words) if w.text[:1].isupper()
                       or ("-" in w.text and w.text.split("-", 1)[0] in rules.name_particles)]
        self._stop_lists: dict[frozenset[str], list[int]] = {}

    def stop_after(self, i: int, connectors: frozenset[str] = frozenset()) -> int:
        """The first word after word i that no run reading `connectors` can hold or
        cross, or len(words): a lower-case word that is no particle ("al-", "de"), no
        dotted initial ("e.g." reads as initials) and no connector, or a mark in
        RUN_BREAKS. Runs are short, so a short scan forward usually finds it; a long
        stretch without one (a text in capitals) falls back to one list for the text."""
        words, particles = self.words, self.rules.name_particles
        for j in range(i + 1, min(i + 1 + SHORT_SCAN, len(words))):
            if _stops_runs(words[j][0], connectors, particles):
                return j
        if i + 1 + SHORT_SCAN >= len(words):
            return len(words)
        stops = self._stops(connectors)
        k = bisect.bisect_right(stops, i)
        return stops[k] if k < len(stops) else len(words)

    def _stops(self, connectors: frozenset[str]) -> list[int]:
        """Every stop word of `stop_after`, in order (built once per reading)."""
        try:
            return self._stop_lists[connectors]
        except KeyError:
            particles = self.rules.name_particles
            stops = self._stop_lists[connectors] = [
                i for i, (text, _, _) in enumerate(self.words)
                if _stops_runs(text, connectors, particles)]
            return stops

    def in_heading(self, offset: int) -> bool:
        # Heading spans are whole lines, in text order and disjoint: one bisection.
        k = bisect.bisect_right(self._heading_starts, offset) - 1
        return k >= 0 and offset < self.headings[k][1]

    def joined(self, i: int, j: int) -> bool:
        """Words i and j (j = i + 1) stand one or two spaces apart on the same line."""
        if j >= len(self.words) or j != i + 1:
            return False
        try:
            return self._joined[i]
        except KeyError:
            gap = self.text[self.words[i].end:self.words[j].start]
            joined = self._joined[i] = 0 < len(gap) <= 2 and all(ch in SPACES for ch in gap)
            return joined

    def adjacent(self, i: int, j: int) -> bool:
        return j < len(self.words) and self.words[i].end == self.words[j].start

    def piece_text(self, piece: Piece) -> str:
        return self.text[piece.start:piece.end]

    def display(self, pieces: list[Piece]) -> str:
        """The name as a display string: no nickname, "al- Jaafari" closed up."""
        text = " ".join(self.piece_text(p) for p in pieces if p.kind != "nick")
        return HYPHEN_SPACES.sub("-", text)

    def has_stopword(self, pieces: list[Piece]) -> bool:
        return any(self.piece_text(p) in self.rules.en_stopwords for p in pieces)

    def runs(self, skip: Callable[[int], int | None] | None = None,
             **options: object) -> Iterator[list[Piece]]:
        """The maximal runs read with `options` (see `run`), left to right; a run
        starts at a capitalised word, an acronym or a particle name ("al-Tanawi").

        `skip(i)`, when given, may tell from cheap tests that the caller can use no run
        starting at word i nor at any later start before the index it returns; those
        runs are then not read, which is where most of the finders' time went."""
        after = 0  # the first word after the last run given out
        if self._run_starts is None:  # the same for every reading: found once
            self._run_starts = [i for i in self.starts if self._opens_run(i)]
        for i in self._run_starts:
            if i < after:
                continue
            word = self.words[i]
            if self.free(word.start, word.end):
                resume = skip(i) if skip is not None else None
                if resume is not None:
                    after = resume
                    continue
                pieces = self.run(i, **options)  # type: ignore[arg-type]
                if pieces:
                    yield pieces
                    after = pieces[-1].last + 1

    def _opens_run(self, i: int) -> bool:
        """Whether word i reads as a capitalised word or an acronym (as `_read_piece`
        reads it without particles) and is no stop word. A single capital before an
        adjacent "." is an initial; otherwise the answer depends on the word alone."""
        text = self.words[i].text
        if len(text) == 1 and text.isupper() and self.adjacent(i, i + 1) \
                and self.words[i + 1].text == ".":
            return False
        return self._opener(text)

    # -- reading runs ------------------------------------------------------------------
    def run(self, i: int, *, person: bool = False, acronyms: bool = False,
            numbers: bool = False, particles: bool = True,
            connectors: frozenset[str] = frozenset(), stop_at: set[int] | None = None,
            limit: int = 8) -> list[Piece]:
        """The run of name pieces that starts at word i (maybe empty)."""
        pieces: list[Piece] = []
        j = i
        named = 0  # pieces that are not connectors, the ones `limit` counts
        while j < len(self.words) and named < limit:
            if pieces and not self.joined(pieces[-1].last, j):
                break
            if pieces and stop_at and self.words[j].start in stop_at:
                break
            piece = self._piece(j, person=person, acronyms=acronyms, numbers=numbers,
                                particles=particles)
            if piece is None and pieces and self.words[j].text in connectors \
                    and self._connector_ok(j, pieces):
                piece = Piece(j, j, "connector", self.words[j].start, self.words[j].end)
            if piece is None or not self.free(piece.start, piece.end):
                break
            if piece.kind in ("cap", "acronym") and self.piece_text(piece) in \
                    self.rules.en_stopwords:
                break
            pieces.append(piece)
            named += piece.kind != "connector"
            j = piece.last + 1
            if piece.possessive:
                break
        while pieces and pieces[-1].kind in ("connector", "particle", "nick"):
            pieces.pop()
        return pieces

    def _connector_ok(self, j: int, pieces: list[Piece]) -> bool:
        """"and"/"&" joins only inside a name, not two names ("X and the Y Ministry")."""
        word = self.words[j].text
        if word not in ("and", "&"):
            return True
        if self.piece_text(pieces[-1]) in self.rules.en_org_tail:
            return False  # "X Shipping Company and Y Management Company": two names
        following = self.words[j + 1].text if j + 1 < len(self.words) else ""
        if following in ("the", "The") or following in self.rules.en_org_lead:
            return False
        if any(p.kind == "connector" and self.piece_text(p) in ("of", "for") for p in pieces):
            return True  # "Office of Terrorism and Financial Intelligence": a topic list
        # "Travel and Tourism LLC" is one name; "X Derivatives and Al-Sharafi Oil Services"
        # joins two: more than one word before the tail means a name of its own.
        words, k = 0, j + 1
        while k < len(self.words) and self.joined(k - 1, k) and (
                is_cap(self.words[k].text) or is_acronym(self.words[k].text)):
            if self.words[k].text in self.rules.en_org_tail:
                break
            words += 1
            k += 1
        return words <= 1

    def _piece(self, j: int, *, person: bool, acronyms: bool, numbers: bool,
               particles: bool) -> Piece | None:
        key = (j, person, acronyms, numbers, particles)
        try:
            return self._pieces[key]
        except KeyError:
            piece = self._pieces[key] = self._read_piece(j, person, acronyms, numbers,
                                                         particles)
            return piece

    def _read_piece(self, j: int, person: bool, acronyms: bool, numbers: bool,
                    particles: bool) -> Piece | None:
        word = self.words[j]
        text = word.text
        if text[:1] in OPEN_QUOTES and person:
            return self._nickname(j)
        if len(text) == 1 and text.isupper() and self.adjacent(j, j + 1) \
                and self.words[j + 1].text == ".":
            return Piece(j, j + 1, "initial", word.start, self.words[j + 1].end)
        if particles and text in self.rules.name_particles:
            return self._particle(j)
        if "-" in text and text.split("-", 1)[0] in self.rules.name_particles \
                and is_cap(text.split("-", 1)[1]):
            return self._capitalised(j)  # "al-Assad"
        if is_cap(text) and not HYPHEN_LOWER_END.search(text):  # not "Kong-based"
            return self._capitalised(j)
        if DOTTED_INITIALS.fullmatch(text) and (person or acronyms):
            return Piece(j, j, "initial" if person else "acronym", word.start, word.end)
        if acronyms and is_acronym(text):
            return Piece(j, j, "acronym", word.start, word.end)
        if numbers and text.isdigit() and len(text) <= 4:
            return Piece(j, j, "number", word.start, word.end)
        return None

    def _capitalised(self, j: int) -> Piece:
        word = self.words[j]
        if word.text + "." in self.rules.en_org_tail and self.adjacent(j, j + 1) \
                and self.words[j + 1].text == ".":  # "Co.", "Ltd.", "Inc."
            return Piece(j, j + 1, "cap", word.start, self.words[j + 1].end)
        if word.text.endswith(POSSESSIVE) and len(word.text) > 3:
            return Piece(j, j, "cap", word.start, word.end - 2, possessive=True)
        return Piece(j, j, "cap", word.start, word.end)

    def _particle(self, j: int) -> Piece | None:
        """"al-" + "Jaafari" (hyphen, maybe a space) is one piece; "de" alone waits for
        the capitalised word after it."""
        word = self.words[j]
        if self.adjacent(j, j + 1) and j + 2 < len(self.words) and self.words[j + 1].text == "-":
            gap = self.text[self.words[j + 1].end:self.words[j + 2].start]
            if len(gap) <= 1 and gap.strip() == "" and is_cap(self.words[j + 2].text):
                last = self._capitalised(j + 2)
                return Piece(j, j + 2, "cap", word.start, last.end, last.possessive)
        if self.joined(j, j + 1) and is_cap(self.words[j + 1].text):
            return Piece(j, j, "particle", word.start, word.end)
        return None

    def _nickname(self, j: int) -> Piece | None:
        """A quoted nickname between name words: “J.D.”, 'Tex'."""
        for k in range(j + 1, min(j + 5, len(self.words))):
            if self.words[k].text in CLOSE_QUOTES and self.adjacent(k - 1, k):
                inner = [w.text for w in self.words[j + 1:k] if w.text != "."]
                if inner and all(w[:1].isupper() for w in inner) and self.joined(k, k + 1) \
                        and is_cap(self.words[k + 1].text):
                    return Piece(j, k, "nick", self.words[j].start, self.words[k].end)
                return None
        return None

    def quoted(self, i: int) -> tuple[int, int] | None:
        """The inside of a short quoted name that starts at word i."""
        match = QUOTED_NAME.match(self.text, self.words[i].start)
        if match is None or not match.group(1)[:1].isupper():
            return None
        start = match.start(1)
        return start, start + len(match.group(1))

    # -- checks on runs ----------------------------------------------------------------
    def person_name(self, pieces: list[Piece], min_words: int) -> list[Piece]:
        """The run as a person's name, or []: it starts with a capitalised word, holds
        no title, organisation or place word, and has enough name words."""
        rules = self.rules
        if not pieces or pieces[0].kind != "cap":
            return []
        words = [p for p in pieces if p.kind == "cap"]
        if any(p.kind == "acronym" for p in pieces) or len(words) > 4:
            return []
        for piece in words:
            text = self.piece_text(piece)
            bare = text.split("-", 1)[1] if text.split("-", 1)[0] in rules.name_particles \
                and "-" in text else text
            if bare in rules.not_name_words or bare in rules.en_stopwords:
                return []
        particle_name = len(words) == 1 and "-" in self.piece_text(words[0]) \
            and self.piece_text(words[0]).split("-", 1)[0].casefold() in rules.name_particles
        if len(words) < min_words and not particle_name:
            return []
        return pieces

    def place_name(self, pieces: list[Piece]) -> list[Piece]:
        """The run as a place name, or []: no title, organisation or person cue."""
        if not pieces or pieces[0].kind != "cap" or len(pieces) > 4:
            return []
        for piece in pieces:
            text = self.piece_text(piece)
            if piece.kind == "cap" and text in self.rules.not_name_words \
                    and text not in self.rules.en_place_after:
                return []
        return pieces

    def with_place_suffix(self, end: int) -> int:
        """Extend a place name over a following " province", " district" and the like."""
        match = SPACED_WORD.match(self.text, end)
        # NB: the free() check has always been given the suffix's length as its end (so
        # it looks at nothing); kept as it is to keep the output unchanged.
        if match and match.group(1) in self.rules.en_place_after \
                and self.free(end, match.end() - end):
            return match.end()
        return end

    def after_title(self, end: int, title_at: dict[int, int], *, allow_comma: bool,
                    qualifiers: bool) -> int | None:
        """The word where the name after a title (ending at `end`) starts: further
        titles ("Deputy Secretary of State"), with `qualifiers` a known qualifier
        ("Minister for the Middle East"), and one comma ("the Foreign Minister, Ibrahim
        al-Jaafari") are skipped."""
        position = end
        for _ in range(6):
            match = TITLE_GAP.match(self.text, position)
            if match is None:  # cannot happen: every part of the gap is optional
                return None
            offset = match.end()
            if match.group(1):
                if not allow_comma:
                    return None
                allow_comma = False
            if offset in title_at:
                position = title_at[offset]
                continue
            qualifier = TITLE_QUALIFIER.match(self.text, offset)
            after = qualifier.end() if qualifier else offset
            if qualifiers and qualifier and not self.free(after, after + 1):
                position = self._occupied_end(after)
                continue
            return self.index.get(offset)
        return None

    def next_word_span(self, offset: int) -> tuple[int, int]:
        """The span of the first word at or after `offset` (empty at the end)."""
        match = WORD_CHARS.search(self.text, offset)
        return match.span() if match else (len(self.text), len(self.text))

    def without_leading_title(self, pieces: list[Piece]) -> list[Piece]:
        """"Director of the Office of Museums" -> "Office of Museums": title words and
        the connectors after them are not part of the organisation's name."""
        words = [self.piece_text(p) for p in pieces]
        for index, piece in enumerate(pieces):
            if piece.kind == "connector":
                if index and words[index - 1].rstrip(".") in self.rules.title_words \
                        and words[index - 1] not in self.rules.en_org_lead:
                    rest = pieces[index:]
                    while rest and rest[0].kind == "connector":
                        rest = rest[1:]
                    return rest
                break
        return pieces

    def _occupied_end(self, offset: int) -> int:
        while offset < len(self.text) and not self.free(offset, offset + 1):
            offset += 1
        return offset
