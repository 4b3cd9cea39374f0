"""Entities and mentions: knowledge-base names first, then rules for unknown names.

Order of work, each step only where the earlier ones left the text free:
1. the gazetteer (bundled knowledge base + imported sanctions names), with the case
   rules of the knowledge base ("US" the state is not "us");
2. titles before names ("المبعوث الأميركي الخاص إلى اليمن تيم ليندركينغ",
   "Attorney General Pamela Bondi");
3. Arabic place, organisation and ship cues ("مدينة X", "وزارة الداخلية المغربية",
   "الناقلة "X""), or the English finders of
   `raqib.extract.names` (operations to leave alone, ships, persons after titles and
   role nouns, organisation heads, place cues, speakers of "said");
4. optionally, for Arabic, names the statistical tagger proposes (`raqib.ner`), where
   nothing above found anything (not the dateline's author);
5. persons grouped: "Stephen J. Townsend" and "Stephen Townsend" are one, "Mr. Haddad"
   joins "Karim Haddad";
6. acronyms defined in parentheses ("Office of Foreign Assets Control (OFAC)") join the
   entity before them, and so do their later bare uses;
7. in-document coreference: a later bare surname ("بوت", "Bout"), an English first name
   ("Karim") or a ship's name without its prefix ("Forbin") joins its entity.
Every entity lists how it was found in `found_by` so an analyst can see why.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from raqib.extract.names import (
    SP,
    Candidate,
    EnglishNames,
    NameRules,
    is_acronym,
    organisation_key,
)
from raqib.extract.rules import load_rules
from raqib.kb.gazetteer import Gazetteer, Hit, Target
from raqib.kb.loader import KBEntry, KnowledgeBase, case_agrees
from raqib.model import Entity, Mention
from raqib.text.arabic import Normalized, fold
from raqib.text.tokens import Token, tokenize

ARABIC_WORD = re.compile(r"^[\u0621-\u064A\u0660-\u0669\u066E-\u06D3\u06FA-\u06FF]+$")
LATIN = re.compile(r"[A-Za-z]")
ACRONYM_IN_PARENS = re.compile(r"\(" + SP + r"*([A-Z][A-Za-z0-9&.\-]{1,11})" + SP + r"*\)")
AR_QUOTED = re.compile(SP + r"*[«\"“”'‘]([^«»\"“”'’\n]{2,40})[»\"“”'’]")
LATIN_NAME = re.compile(
    SP + r"*([A-Z][\w\-]*(?:" + SP + r"+(?:[A-Z][\w\-]*|\d{1,4}))*)")
AR_ADJECTIVES = re.compile(
    "(?:" + SP + "+(?:ال)?[\u0621-\u064A]+(?:ي|ية|يه)(?![\u0621-\u064A])){0,2}")
KIND_RANK = {"name": 0, "alias": 0, "demonym": 1}
NER_TYPES = {"PERS": "person", "LOC": "location", "ORG": "organization"}
NER_SOURCE = "model:anercorp-perceptron"
# Prepositions after a participle (folded): "المؤلفة من".
AR_PREPOSITIONS = frozenset({"من", "في", "علي", "عن", "الي", "مع"})
# An organisation's name after its head: at most this many words ("هيئة الطاقة الذرية
# الإيرانية" has three).
AR_ORG_MAX_WORDS = 4
# Words that put the writer's name in a dateline (folded): "كتب", "بقلم", "إعداد".
AR_BYLINE_WORDS = frozenset({"كتب", "كتبت", "بقلم", "اعداد", "تقرير", "مراسل", "مراسلنا",
                             "مراسلتنا"})
# What may stand between a dateline's place and its author: "لندن: محمد", "لندن - محمد".
AR_DATELINE_MARKS = " \t\n:-–—/|،,"
# Words inside an Arabic name that call for the next word ("بن علي", "أبو مازن").
AR_NAME_PARTICLES = frozenset({"بن", "ابن", "بنت", "ابو", "ابي", "ام", "عبد"})
PROCLITIC_FORMS = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك"})


@dataclass(slots=True)
class _Draft:
    """An entity being assembled: key, type, display name and its mentions."""

    key: str
    type: str
    name: str
    kb: KBEntry | None = None
    found_by: list[str] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    demonym_spans: list[tuple[int, int]] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)  # short forms that refer back to it
    stem: str = ""  # an organisation's name without its legal form, casefolded

    def add(self, span: tuple[int, int], how: str) -> None:
        self.spans.append(span)
        if how not in self.found_by:
            self.found_by.append(how)


@dataclass(frozen=True, slots=True)
class _PersonSpan:
    start: int
    end: int
    name: str
    rule: str


@dataclass(slots=True)
class _Work:
    """The state of one extraction: drafts, taken characters, persons to group."""

    text: str
    norm: Normalized
    drafts: dict[str, _Draft] = field(default_factory=dict)
    occupied: bytearray = field(default_factory=bytearray)
    persons: list[_PersonSpan] = field(default_factory=list)

    def free(self, start: int, end: int) -> bool:
        # `occupied` holds only 0 and 1: no 1 in the range means free (find copies nothing).
        return self.occupied.find(1, start, end) < 0

    def take(self, start: int, end: int) -> None:
        self.occupied[start:end] = b"\x01" * (end - start)

    def draft(self, key: str, kind: str, name: str, how: str) -> _Draft:
        return self.drafts.setdefault(key, _Draft(key, kind, name, found_by=[how]))


@dataclass(frozen=True, slots=True)
class EntityResult:
    entities: list[Entity]
    mentions: list[Mention]
    kb_entries: dict[str, KBEntry]  # entity id -> its knowledge-base entry, when linked
    demonym_spans: frozenset[tuple[int, int]] = frozenset()  # mentions that are adjectives
    # `tokenize(text)` when this step needed it (Arabic text or titles), else empty: the
    # engine may reuse it rather than tokenize the same text again.
    tokens: tuple[Token, ...] = ()


class EntityExtractor:
    """Finds entities in one document; built once with read-only data, then pure."""

    def __init__(self, kb: KnowledgeBase, gazetteer: Gazetteer, rules: NameRules,
                 sanctioned: dict[str, dict] | None = None) -> None:
        self.kb = kb
        self.gazetteer = gazetteer
        self.rules = rules
        self.sanctioned = sanctioned or {}
        self.titles = Gazetteer(
            (title, f"title:{lang}", "name")
            for lang, titles in rules.person_titles.items() for title in titles
        )
        self.roles = Gazetteer((role, "role:en", "name") for role in rules.person_roles)
        self.english = EnglishNames(rules)
        self.ar_vessel_cues = Gazetteer((cue, "vessel-cue", "name") for cue in rules.ar_vessel_cues)
        self.ar_place_stop = rules.ar_stopwords | rules.ar_place_stop
        self.relative_pronouns = load_rules().relative_pronouns.get("ar", frozenset())
        self.ar_org_head_forms = rules.ar_org_heads | {
            clitic + head for clitic in PROCLITIC_FORMS for head in rules.ar_org_heads}
        # A word of a title is not a name word ("الفريق", "المدير", "أمير").
        title_words = {fold(w) for title in rules.person_titles["ar"] for w in title.split()}
        self.ar_not_name = rules.ar_stopwords | title_words | {
            w.removeprefix("ال") for w in title_words} | {"ال" + w for w in title_words}

    def extract(self, text: str, norm: Normalized, language: str) -> EntityResult:
        work = _Work(text, norm, occupied=bytearray(len(text)))
        for hit in self.gazetteer.find(text, norm):
            self._add_kb_hit(work, hit)
        titles = self.titles.find(text, norm)
        arabic_titles = [h for h in titles if _is_arabic_title(h)]
        tokens = tokenize(text) if arabic_titles or language == "ar" else []
        self._add_arabic_titled_persons(work, tokens, arabic_titles)
        if language == "ar":
            self._add_arabic_places(work, tokens)
            self._add_arabic_organisations(work, tokens)
            self._add_arabic_vessels(work)
        else:
            self._add_english_names(work, [h for h in titles if not _is_arabic_title(h)])
        self._resolve(work)
        if language == "ar" and self._add_model_names(work, tokens):
            self._resolve(work)  # the tagger's names get their later short forms too
        return self._finish(work, tuple(tokens))

    def _resolve(self, work: _Work) -> None:
        """Group the persons found so far, then attach acronyms and short forms."""
        self._group_persons(work)
        _merge_bare_organisations(work)
        self._add_acronyms(work)
        self._add_short_forms(work)

    # -- knowledge base -------------------------------------------------------------
    def _add_kb_hit(self, work: _Work, hit: Hit) -> None:
        target = self._choose(hit)
        entry = self.kb.get(target.entry_id) if target else None
        if entry is None or target is None:
            return
        draft = work.drafts.setdefault(entry.id, _Draft(entry.id, entry.type, entry.name,
                                                        kb=entry, found_by=[f"kb:{entry.id}"]))
        if target.kind == "demonym":
            draft.demonym_spans.append((hit.start, hit.end))
            if f"demonym:{target.form}" not in draft.found_by:
                draft.found_by.append(f"demonym:{target.form}")
        draft.spans.append((hit.start, hit.end))
        work.take(hit.start, hit.end)

    def _choose(self, hit: Hit) -> Target | None:
        """Prefer a full name or alias over a demonym; then a stable order by id. A form
        the knowledge base marks case-sensitive ("US", "AP") must be written as listed."""
        usable = [t for t in hit.targets if self._case_ok(t, hit.text)]
        ranked = sorted(usable, key=lambda t: (KIND_RANK.get(t.kind, 2), t.entry_id))
        return ranked[0] if ranked else None

    def _case_ok(self, target: Target, text: str) -> bool:
        entry = self.kb.get(target.entry_id)
        if entry is None or not LATIN.search(target.form):
            return True
        return not entry.is_case_sensitive(target.form) or case_agrees(target.form, text)

    # -- Arabic titles --------------------------------------------------------------
    def _add_arabic_titled_persons(self, work: _Work, tokens: list[Token],
                                   hits: list[Hit]) -> None:
        starts = [tok.start for tok in tokens]
        for hit in hits:
            index = bisect.bisect_left(starts, hit.end)
            if index >= len(tokens):
                continue
            span = self._arabic_name_after(tokens, index, work.occupied)
            if span is None:
                continue
            start, end = span
            work.persons.append(_PersonSpan(start, end, work.text[start:end],
                                            "rule:title-before-name"))
            work.take(start, end)

    def _arabic_name_after(self, tokens: list[Token], index: int,
                           occupied: bytearray) -> tuple[int, int] | None:
        """Skip the title's modifiers, then take two or three name words."""
        stop = self.ar_not_name
        position = index
        # Modifiers: definite adjectives (الأميركي، الخاص) and "إلى X" / "لـX" phrases.
        # A known name met anywhere else is what the title describes: no new name.
        while position < len(tokens):
            tok = tokens[position]
            if tok.norm in ("الي", "في", "لدي") and position + 1 < len(tokens):
                position += 2
                continue
            if any(occupied[tok.start:tok.end]):
                if not tok.norm.startswith("ال") or not _is_adjective(tok):
                    return None
                position += 1
                continue
            if tok.norm in self.relative_pronouns:  # "رئيس الفريق الذي يتولى": no name
                return None
            if tok.norm.startswith("ال") or tok.norm in ("لشوون",):
                position += 1
                continue
            break
        words: list[Token] = []
        common = _ner_common_word()
        # Two or three name words; a fourth after a particle ("زين العابدين بن علي").
        while position < len(tokens) and (
                len(words) < 3 or (len(words) == 3 and words[-1].norm in AR_NAME_PARTICLES)):
            tok = tokens[position]
            # A family name may carry the article (سامر الحداد), a first name may not.
            # "and" or a pronoun clitic ("ويبحث", "خارجيتها") means the name has ended
            # or never began; a foreign name's first letter may look like another clitic
            # ("بلير" is no ب + لير), so those are kept. A word the name tagger's
            # training data knows as a common word only ends it too: a verb or a word
            # with a preposition ("يتولى", "لبحث") anywhere, any such word ("ثلاث") as a
            # third name word.
            after_particle = bool(words) and words[-1].norm in AR_NAME_PARTICLES
            if (not ARABIC_WORD.match(tok.text) or tok.suffix
                    or tok.prefix.startswith(("و", "ف+و"))
                    or (not words and tok.norm.startswith("ال"))
                    or any(occupied[tok.start:tok.end])
                    or (not after_particle and (tok.norm in stop or (
                        common(tok.norm) if len(words) >= 2 else _verb_or_phrase(tok, common))))):
                break  # after "بن" the next word is a name even if it looks like "على"
            words.append(tok)
            position += 1
        while words and words[-1].norm in AR_NAME_PARTICLES:
            words.pop()  # "بن" or "أبو" with nothing after it is no name's end
        if len(words) < 2:
            return None
        return words[0].start, words[-1].end

    # -- Arabic places and ships --------------------------------------------------------
    def _add_arabic_places(self, work: _Work, tokens: list[Token]) -> None:
        """"مدينة X", "محافظة X", "ميناء X": the name after a place noun in construct."""
        for index, tok in enumerate(tokens[:-1]):
            if tok.kind != "word" or not _has_stem(tok, self.rules.ar_place_before):
                continue
            words = self._arabic_place_words(tokens, index + 1, work)
            if not words:
                continue
            start, end = words[0].start, words[-1].end
            name = work.text[start:end]
            work.draft(_new_key("location", fold(name)), "location", name,
                       "rule:place-cue").add((start, end), "rule:place-cue")
            work.take(start, end)

    def _arabic_place_words(self, tokens: list[Token], index: int, work: _Work) -> list[Token]:
        """One name word, two when the second is a definite noun ("دير الزور",
        "صلاح الدين") rather than a descriptive adjective ("الساحلية")."""
        stop = self.ar_place_stop
        first = tokens[index]
        # No clitic check: the second term of a construct ("بلدة كفرنبل") takes none,
        # so a leading "ك" or "ب" there is part of the name.
        if (first.kind != "word" or not ARABIC_WORD.match(first.text) or first.norm in stop
                or not work.free(first.start, first.end)
                or (not first.norm.startswith("ال") and _is_adjective(first))):
            return []
        words = [first]
        if index + 1 < len(tokens):
            second = tokens[index + 1]
            if (second.kind == "word" and ARABIC_WORD.match(second.text)
                    and second.norm.startswith("ال") and second.norm not in stop
                    and not _is_adjective(second) and work.free(second.start, second.end)
                    and work.text[first.end:second.start] == " "):
                words.append(second)
        return words

    def _add_arabic_organisations(self, work: _Work, tokens: list[Token]) -> None:
        """"وزارة الداخلية الجزائرية", "هيئة الطاقة الذرية الإيرانية": an organisation
        head in construct (no article: names.yaml org_heads) and the definite words
        that follow it. A nationality adjective at the end belongs to the name (the
        ministry is the actor, more specific than its country) and stops being a mention
        of the country there."""
        heads, forms = self.rules.ar_org_heads, self.ar_org_head_forms
        # Two set lookups a word: the head as written, behind a clitic, or as the stem.
        found = [i for i, tok in enumerate(tokens[:-1]) if tok.norm in forms or tok.stem in heads]
        for index in found:
            tok = tokens[index]
            if tok.kind != "word" or tok.stem.startswith("ال") or not work.free(tok.start, tok.end):
                continue
            words = self._arabic_org_words(tokens, index + 1, work)
            if not words:
                continue
            start, end = _arabic_head_start(tok, heads), words[-1].end
            for draft in work.drafts.values():  # the nationality adjective joins the name
                for span in [s for s in draft.demonym_spans if start <= s[0] < end]:
                    draft.demonym_spans.remove(span)
                    draft.spans.remove(span)
            name = work.text[start:end]
            work.draft(_new_key("organization", fold(name)), "organization", name,
                       "rule:org-head").add((start, end), "rule:org-head")
            work.take(start, end)

    def _arabic_org_words(self, tokens: list[Token], index: int, work: _Work) -> list[Token]:
        """Up to four definite words after an organisation head, in one run of single
        spaces, free text or (the last ones) a nationality adjective the knowledge base
        took as a demonym. The first may be indefinite inside a construct chain
        ("محكمة أمن الدولة": a definite word follows it)."""
        stop = self.ar_place_stop
        common = _ner_common_word()
        words: list[Token] = []
        adjectives = {span for d in work.drafts.values() for span in d.demonym_spans}
        previous_end = tokens[index - 1].end
        for at, tok in enumerate(tokens[index:index + AR_ORG_MAX_WORDS], start=index):
            # After the first word, a word never seen in a name ("مجلس النواب الخميس")
            # or a participle that opens a phrase ("المؤلفة من") ends the name.
            definite = tok.norm.startswith("ال") or (
                at == index and at + 1 < len(tokens) and tokens[at + 1].norm.startswith("ال")
                and tokens[at + 1].norm not in stop and not tokens[at + 1].prefix
                and tok.kind == "word" and not tok.suffix
                and not _is_adjective(tok))
            if (tok.kind != "word" or not ARABIC_WORD.match(tok.text) or tok.prefix
                    or not definite or tok.norm in stop
                    or work.text[previous_end:tok.start] != " "
                    or (words and (tok.start, tok.end) not in adjectives
                        and (common(tok.norm) or _participle_before_preposition(tokens, at)))):
                break
            if not work.free(tok.start, tok.end):
                if (tok.start, tok.end) not in adjectives:
                    return []  # a known name follows the head ("مجلس الأمن"): no new one
                words.append(tok)
                previous_end = tok.end
                continue
            if words and (words[-1].start, words[-1].end) in adjectives:
                break  # nothing after the nationality adjective
            words.append(tok)
            previous_end = tok.end
        while words and (words[-1].start, words[-1].end) in adjectives and len(words) > 1 \
                and (words[-2].start, words[-2].end) in adjectives:
            words.pop()
        if not words or (words[0].start, words[0].end) in adjectives:
            return []
        return words

    def _add_arabic_vessels(self, work: _Work) -> None:
        """"السفينة "غالاكسي ليدر"", "الناقلة Sounion": a quoted or Latin-letter name
        after a ship noun is the ship's name."""
        for hit in self.ar_vessel_cues.find(work.text, work.norm):
            # Adjectives may stand between: "السفينة البريطانية "X"", "سفينة تجارية X".
            adjectives = AR_ADJECTIVES.match(work.text, hit.end)
            after = adjectives.end() if adjectives else hit.end
            rest = work.text[after:after + 80]
            match = AR_QUOTED.match(rest) or LATIN_NAME.match(rest)
            if match is None:
                continue
            start, end = after + match.start(1), after + match.end(1)
            name = work.text[start:end].strip()
            end = start + len(name)
            if not name or not work.free(start, end):
                continue
            work.draft(_new_key("vessel", fold(name)), "vessel", name,
                       "rule:vessel-cue").add((start, end), "rule:vessel-cue")
            work.take(start, end)

    # -- the statistical tagger --------------------------------------------------------
    def _add_model_names(self, work: _Work, tokens: list[Token]) -> bool:
        """Names the Arabic tagger proposes where no knowledge-base name, rule or short
        form stands; False when no model is installed."""
        from raqib.ner.model import NerError, load_model  # a slim install may lack the data

        try:
            model = load_model()
        except NerError:
            return False  # a damaged model file: the rules still run (the bench reports it)
        if model is None:
            return False
        # Bare nisba words (no article) by where they start, for _arabic_release_first_name.
        bare_nisbas = {span[0]: (draft, span) for draft in work.drafts.values()
                       for span in draft.demonym_spans if not work.text.startswith("ال", span[0])}
        for span in model.find_names(work.text, tokens):
            kind = NER_TYPES.get(span.label)
            if kind == "person" and span.start in bare_nisbas:
                _arabic_release_first_name(work, *bare_nisbas.pop(span.start), span.end)
            if kind is None or not work.free(span.start, span.end):
                continue
            if kind == "person" and _arabic_dateline_author(work, span.start):
                work.take(span.start, span.end)  # the writer, not a person in the story
                continue
            if kind == "person":
                work.persons.append(_PersonSpan(span.start, span.end, span.text, NER_SOURCE))
            else:
                name = _arabic_article_restored(span.text)
                work.draft(_new_key(kind, fold(name)), kind, name,
                           NER_SOURCE).add((span.start, span.end), NER_SOURCE)
            work.take(span.start, span.end)
        return True

    # -- English ------------------------------------------------------------------------
    def _add_english_names(self, work: _Work, titles: list[Hit]) -> None:
        title_spans = [(h.start, h.end) for h in titles if _case_fits(h)]
        role_spans = [(h.start, h.end) for h in self.roles.find(work.text, work.norm)]
        places = {start for d in work.drafts.values() if d.type in ("state", "location")
                  for start, _ in d.spans}
        for found in self.english.find(work.text, work.free, title_spans, role_spans,
                                       places.__contains__):
            if work.free(found.start, found.end):
                self._accept(work, found)

    def _accept(self, work: _Work, found: Candidate) -> None:
        work.take(found.start, found.end)
        if found.type is None:
            return
        how = f"rule:{found.rule}"
        if found.type == "person":
            work.persons.append(_PersonSpan(found.start, found.end, found.name, how))
            return
        key = _new_key(found.type, (found.alias or found.name).casefold())
        draft = work.draft(key, found.type, found.name, how)
        if found.type in ("organization", "armed_group"):
            draft.stem = organisation_key(found.name, self.rules)
        draft.add((found.start, found.end), how)
        for start, end in found.extra:
            if work.free(start, end):
                draft.spans.append((start, end))
                work.take(start, end)
        if found.alias and found.alias != found.name and found.alias not in draft.aliases:
            draft.aliases.append(found.alias)

    # -- persons ------------------------------------------------------------------------
    def _group_persons(self, work: _Work) -> None:
        """Full names first ("Stephen J. Townsend" = "Stephen Townsend"), then one-word
        names after titles ("Mr. Haddad") join the only person with that surname."""
        ordered = sorted(work.persons, key=lambda p: p.start)
        work.persons = []
        singles = []
        for person in ordered:
            words = _name_words(person.name)
            if len(words) < 2:
                singles.append(person)
                continue
            draft = work.draft(_person_key(words), "person", person.name, person.rule)
            draft.add((person.start, person.end), person.rule)
        surnames = self._surname_index(work)
        for person in singles:
            form = _bare(person.name).casefold()
            keys = surnames.get(form, set())
            if len(keys) == 1:
                draft = work.drafts[next(iter(keys))]
            else:
                draft = work.draft(_new_key("person", form), "person", person.name, person.rule)
            draft.add((person.start, person.end), person.rule)

    def _surname_index(self, work: _Work) -> dict[str, set[str]]:
        index: dict[str, set[str]] = {}
        for draft in work.drafts.values():
            if draft.type != "person":
                continue
            for start, end in draft.spans:
                words = _name_words(work.text[start:end])
                if len(words) >= 2:
                    for form in {words[-1], _bare(words[-1])}:
                        index.setdefault(form.casefold(), set()).add(draft.key)
        return index

    # -- acronyms ---------------------------------------------------------------------
    def _add_acronyms(self, work: _Work) -> None:
        """"Office of Foreign Assets Control (OFAC)": the acronym, here and later, is a
        mention of the entity whose mention ends right before the parenthesis."""
        ends = {end: d for d in work.drafts.values() if d.type != "person"
                for _start, end in d.spans}
        defined: dict[str, _Draft] = {}
        for match in ACRONYM_IN_PARENS.finditer(work.text):
            short = match.group(1)
            before = work.text[:match.start()].rstrip()
            for mark in ("’s", "'s"):
                before = before.removesuffix(mark)
            owner = ends.get(len(before))
            if owner is None or not is_acronym(short) or short in defined:
                continue
            start = next(s for s, e in owner.spans if e == len(before))
            if not _abbreviates(short, work.text[start:len(before)]):
                continue
            defined[short] = owner
        for short, owner in defined.items():
            for match in re.finditer(rf"(?<![\w\-]){re.escape(short)}(?![\w\-])", work.text):
                if work.free(match.start(), match.end()):
                    owner.add(match.span(), "rule:acronym-definition")
                    work.take(*match.span())

    # -- coreference ----------------------------------------------------------------
    def _add_short_forms(self, work: _Work) -> None:
        """Later bare surnames, English first names and ships' names join their entity."""
        forms = []
        for draft in work.drafts.values():
            forms += [(alias, draft.key, "alias") for alias in draft.aliases]
            if draft.type != "person":
                continue
            for start, end in draft.spans:
                words = _name_words(work.text[start:end])
                if len(words) < 2:
                    continue
                for form in {words[-1], _bare(words[-1])}:
                    if len(form) >= 3 and fold(form) not in self.ar_not_name:
                        forms.append((form, draft.key, "alias"))
                if LATIN.match(words[0]) and len(words[0]) >= 3 and \
                        words[0].casefold() not in self.rules.name_particles:
                    forms.append((words[0], draft.key, "alias"))
        if not forms:
            return
        for hit in Gazetteer(forms).find(work.text, work.norm):
            keys = {t.entry_id for t in hit.targets}
            if len(keys) != 1 or not work.free(hit.start, hit.end) or not self._short_ok(work, hit):
                continue  # two entities share the form: do not guess
            draft = work.drafts[keys.pop()]
            draft.add((hit.start, hit.end), "rule:short-form-coreference")
            work.take(hit.start, hit.end)

    def _short_ok(self, work: _Work, hit: Hit) -> bool:
        """A Latin short form must be capitalised and stand alone: "Carter", not "carter"
        nor the "Carter" of another "Jimmy Carter"."""
        if not LATIN.match(hit.text):
            return True
        if not _bare(hit.text)[:1].isupper() or (
                hit.text.isupper() and not hit.targets[0].form.isupper()):
            return False  # "carter", or "KHEDRI" in a list written in capitals
        before = work.text[max(0, hit.start - 30):hit.start]
        previous = re.search(r"([^\W\d_][\w’'\-]*)" + SP + r"$", before)
        return previous is None or not previous.group(1)[:1].isupper() or \
            previous.group(1) in self.rules.en_stopwords or \
            any(previous.group(1) == t.split()[-1] for t in self.rules.person_titles["en"])

    # -- output -----------------------------------------------------------------------
    def _finish(self, work: _Work, tokens: tuple[Token, ...]) -> EntityResult:
        text = work.text
        ordered = sorted((d for d in work.drafts.values() if d.spans), key=lambda d: min(d.spans))
        entities, mentions, linked = [], [], {}
        demonyms = frozenset(span for d in ordered for span in d.demonym_spans)
        for number, draft in enumerate(ordered, start=1):
            entity_id = f"e{number}"
            entry = draft.kb
            names = dict(entry.names) if entry else {}
            sanction = self.sanctioned.get(entry.id) if entry else None
            entities.append(Entity(
                id=entity_id, type=draft.type, name=draft.name, names=names,
                kb_id=entry.id if entry else None,
                sanctioned=True if sanction else None,
                found_by=list(draft.found_by), details={"sanctions": sanction} if sanction else {},
            ))
            if entry:
                linked[entity_id] = entry
            for start, end in sorted(set(draft.spans)):
                mentions.append(Mention(entity_id, text[start:end], start, end))
        mentions.sort(key=lambda m: (m.start, m.end))
        return EntityResult(entities, mentions, linked, demonyms, tokens)


# --- small helpers ------------------------------------------------------------------------


def _participle_before_preposition(tokens: list[Token], index: int) -> bool:
    """"المؤلفة من", "المكلفة ب...": a definite participle followed by a preposition
    describes the name before it."""
    tok = tokens[index]
    if not tok.norm.startswith("الم") or index + 1 >= len(tokens):
        return False
    after = tokens[index + 1]
    return after.norm in AR_PREPOSITIONS or after.prefix in ("ب", "ل")


def _arabic_head_start(token: Token, heads: frozenset[str]) -> int:
    """Where an organisation head starts inside its word: after "و"/"ب"/"ل" glued to
    it ("بوزارة الداخلية" → "وزارة الداخلية")."""
    if token.norm in heads:
        return token.start
    if token.stem in heads:
        return token.stem_start
    for k in (1, 2):
        if token.norm[:k] in PROCLITIC_FORMS and token.norm[k:] in heads:
            return token.start + k
    return token.start


def _arabic_article_restored(name: str) -> str:
    """"للمنظمة الدولية" → "المنظمة الدولية": after ل the article loses its alef, so the
    span cannot start after the clitic; the display name gets the article back."""
    first = tokenize(name.split(maxsplit=1)[0])
    if name.startswith("لل") and first and first[0].prefix == "ل" \
            and first[0].stem.startswith("ال"):
        return "ا" + name[1:]
    return name


def _arabic_release_first_name(work: _Work, draft: _Draft, nisba: tuple[int, int],
                               end: int) -> None:
    """"كيني جوس" (Kenny Goss) is no "Kenyan": when the tagger reads a bare nisba word
    (no article) as the first word of a longer person's name ending at `end`, the name
    wins and the word stops being a mention of the country."""
    first, last = nisba
    if last < end and work.free(last, end) and nisba in draft.spans:
        draft.demonym_spans.remove(nisba)
        draft.spans.remove(nisba)
        work.occupied[first:last] = bytes(last - first)


def _arabic_dateline_author(work: _Work, start: int) -> bool:
    """"لندن: محمد الشافعي ...", "كتب محمد الشافعي": a name right after the place that
    opens the document, or after a byline word there, is the writer. Listed as an entity
    it would fill the first event's roles."""
    before = work.text[:start].rstrip(AR_DATELINE_MARKS)
    words = before.split()
    if words and fold(words[-1]) in AR_BYLINE_WORDS:
        before = before[:before.rstrip().rfind(words[-1])].rstrip(AR_DATELINE_MARKS)
        if not before.strip():
            return True  # "كتب محمد الشافعي" opens the document
    lead = len(before) - len(before.lstrip())
    return bool(before.strip()) and any(
        draft.type in ("location", "state") and (lead, len(before)) in draft.spans
        for draft in work.drafts.values())


def _verb_or_phrase(tok: Token, common: Callable[[str], bool]) -> bool:
    """A present verb ("يتولى") or a word with a preposition ("لبحث") that the tagger's
    training data knows only as a common word: the title is followed by a clause, not a
    name. (Common adjectives stay possible names: "طارق عظيم خان".)"""
    return (bool(tok.prefix) or tok.norm[:1] in "يتن") and common(tok.norm)


def _never_common(_norm: str) -> bool:
    return False


def _ner_common_word() -> Callable[[str], bool]:
    """The name tagger's test for common words (seen often in its training data, never
    inside a name), or a test that knows none when no model is installed."""
    from raqib.ner.model import NerError, load_model  # a slim install may lack the data

    try:
        model = load_model()
    except NerError:
        return _never_common
    return _never_common if model is None else model.is_common_word


def _merge_bare_organisations(work: _Work) -> None:
    """"Albarraq Shipping" joins "Albarraq Shipping Co." when that is the only company of
    the name; "X Trading FZE" and "X Trading LLC" may be two companies and stay apart."""
    by_stem: dict[str, list[_Draft]] = {}
    for draft in work.drafts.values():
        if draft.stem:
            by_stem.setdefault(draft.stem, []).append(draft)
    for stem, drafts in by_stem.items():
        bare = [d for d in drafts if d.name.casefold() == stem]
        formal = [d for d in drafts if d.name.casefold() != stem]
        if len(bare) == 1 and len(formal) == 1:
            formal[0].spans += bare[0].spans
            bare[0].spans = []


def _is_arabic_title(hit: Hit) -> bool:
    return hit.targets[0].entry_id == "title:ar"


def _case_fits(hit: Hit) -> bool:
    """A capitalised English title matches only capitalised text ("General", not
    "general"); a lower-case one matches either."""
    form = hit.targets[0].form
    return not form[:1].isupper() or hit.text[:1].isupper()


def _has_stem(token: Token, stems: frozenset[str]) -> bool:
    """The word is one of `stems`, maybe behind a proclitic: the tokenizer's own split
    ("بمدينة") or a plainer one where it guessed otherwise ("بلدة" is not ب + لدة)."""
    norm = token.norm
    return norm in stems or token.stem in stems or any(
        norm[:k] in PROCLITIC_FORMS and norm[k:] in stems for k in (1, 2))


def _is_adjective(token: Token) -> bool:
    """A nisba adjective (الأميركي، الروسية، عسكرية) rather than a noun (الولايات)."""
    return token.norm.endswith(("ي", "يه", "يون", "يين"))


def _name_words(name: str) -> list[str]:
    """The words of a name without initials and possessives: "Stephen J. Townsend's"
    -> ["Stephen", "Townsend"]."""
    words = []
    for word in re.sub(r"-\s+", "-", name).split():
        word = word.removesuffix("’s").removesuffix("'s")
        if re.fullmatch(r"(?:[A-Z]\.)+|[A-Z]", word):
            continue
        words.append(word)
    return words


def _bare(word: str) -> str:
    """A surname without its particle: "al-Abadi" -> "Abadi"."""
    head, dash, rest = word.partition("-")
    if dash and head.casefold() in ("al", "el", "as", "ad", "ash", "az", "ar", "an", "at") \
            and rest:
        return rest
    return word


def _new_key(kind: str, name: str) -> str:
    """The key of an entity the rules found: apart from knowledge-base ids ("person:x")."""
    return f"new/{kind}:{name}"


def _person_key(words: list[str]) -> str:
    """"Stephen J. Townsend" and "Stephen Townsend" share a key; Arabic names are
    keyed whole, folded."""
    if any("\u0600" <= ch <= "\u06ff" for ch in "".join(words)):
        return _new_key("person", fold(" ".join(words)))
    return _new_key("person", f"{words[0].casefold()} {words[-1].casefold()}")


def _abbreviates(short: str, long: str) -> bool:
    """True when the letters of `short` appear in order in `long`, the first at the start
    of its first word and each either at a word start or right after the previous one
    inside the same word ("NAVCENT" in "Naval Forces Central Command", "OFAC" in
    "Office of Foreign Assets Control")."""
    letters = [ch.casefold() for ch in short if ch.isalnum()]
    words = [w.casefold() for w in re.findall(r"[^\W_]+", long)]
    while words and words[0] == "the":
        words = words[1:]
    if not letters or not words or words[0][0] != letters[0]:
        return False
    return _match_letters(letters, 1, words, 0, 1)


def _match_letters(letters: list[str], li: int, words: list[str], wi: int, ci: int) -> bool:
    """Letters[li:] matched from word wi, character ci (continuing inside that word) or
    from the start of any later word."""
    if li == len(letters):
        return True
    if ci < len(words[wi]) and words[wi][ci] == letters[li] and \
            _match_letters(letters, li + 1, words, wi, ci + 1):
        return True
    for later in range(wi + 1, len(words)):
        if words[later][0] == letters[li] and _match_letters(letters, li + 1, words, later, 1):
            return True
    return False

