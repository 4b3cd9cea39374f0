"""The bundled lexicons load and say what we expect; the validator refuses bad files."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from raqib.extract.lexicons import (
    EVENT_ROLES,
    LexiconError,
    build_index,
    expand_pattern,
    fold,
    form_key,
    load_lexicon,
    load_lexicon_file,
)
from raqib.model import EVENT_TYPES

LANGS = ("ar", "en")
SEED = Path(__file__).resolve().parents[3] / "shared" / "seed" / "bout-houthis.ar.txt"


def _lookup(entries, text: str) -> list:
    """Entries listing `text` as a form (compared the way the matcher compares)."""
    return list(build_index(entries).get(form_key(text), ()))


# --------------------------------------------------------------------------- bundled data


@pytest.mark.parametrize("lang", LANGS)
def test_bundled_lexicon_loads_once(lang: str) -> None:
    lex = load_lexicon(lang)
    assert lex.language == lang
    assert load_lexicon(lang) is lex  # cached


@pytest.mark.parametrize("lang", LANGS)
def test_every_event_type_has_triggers(lang: str) -> None:
    lex = load_lexicon(lang)
    assert {t.event for t in lex.triggers} == set(EVENT_TYPES)


@pytest.mark.parametrize("lang", LANGS)
def test_trigger_role_hints_belong_to_their_event(lang: str) -> None:
    for t in load_lexicon(lang).triggers:
        for role in (t.agent_role, t.patient_role):
            assert role is None or role in EVENT_ROLES[t.event], t.id


@pytest.mark.parametrize("lang", LANGS)
def test_no_form_is_long_enough_to_be_a_copied_sentence(lang: str) -> None:
    lex = load_lexicon(lang)
    seed = form_key(SEED.read_text(encoding="utf-8")) if SEED.exists() else ""
    sections = [lex.triggers, lex.role_cues, lex.status_cues, lex.source_cues,
                lex.anonymity.qualifiers, lex.anonymity.phrases, lex.blockers, lex.generic]
    for entries in sections:
        for entry in entries:
            for form in entry.forms:
                assert len(form.words) <= 6, form.text
                if len(form.words) >= 5 and seed:
                    assert form.key not in seed, f"{entry.id}: {form.text} is copied from the seed"


def test_arabic_sell_covers_tenses() -> None:
    lex = load_lexicon("ar")
    for word in ("باع", "يبيع", "بيع", "ستبيع", "بيعت", "يبيعون", "باعت"):
        hits = _lookup(lex.triggers, word)
        assert [t.event for t in hits] == ["arms_transfer"], word
        assert hits[0].needs_object == "weapon"


def test_arabic_taslim_is_ambiguous_between_delivery_and_extradition() -> None:
    hits = _lookup(load_lexicon("ar").triggers, "تسليم")
    assert {(t.event, t.needs_object, t.ambiguous) for t in hits} == {
        ("arms_transfer", "weapon", True),
        ("extradition", "person", True),
    }
    him = _lookup(load_lexicon("ar").triggers, "سلمته")
    assert [t.event for t in him] == ["extradition"]


def test_arabic_passive_arrest_phrase() -> None:
    lex = load_lexicon("ar")
    qabd = next(t for t in lex.triggers if t.id == "ar.arrest.qabd")
    keys = {f.key for f in qabd.forms}
    assert form_key("ألقي القبض") in keys  # folds like the active ألقى القبض
    gapped = next(f for f in qabd.forms if f.key == form_key("ألقت القبض"))
    assert gapped.gaps == (3,)  # ألقت الشرطة التايلاندية القبض
    assert qabd.patient_role == "person"
    ala = _lookup(lex.role_cues, "على")
    assert ala[0].roles["arrest"] == ("person",)


def test_arabic_sentence_needs_a_penalty_word() -> None:
    hits = _lookup(load_lexicon("ar").triggers, "حكمت")
    assert [t.event for t in hits] == ["sentence"]
    assert form_key("سجن") in {f.key for f in hits[0].requires_any}


def test_arabic_role_cues() -> None:
    lex = load_lexicon("ar")
    ila = _lookup(lex.role_cues, "إلى")[0]
    assert ila.roles["arms_transfer"] == ("recipient", "destination")
    assert ila.roles["extradition"] == ("to",)
    li = _lookup(lex.role_cues, "ل")[0]
    assert li.attached
    assert _lookup(lex.role_cues, "بقيمة")[0].roles == {"arms_transfer": ("value",)}
    maa = _lookup(lex.role_cues, "مع")[0]
    assert maa.roles["meeting"] == ("participant",)
    assert maa.roles["release"] == ("exchanged_for",)
    fi = _lookup(lex.role_cues, "في")[0]
    assert set(fi.roles) == {e for e, roles in EVENT_ROLES.items() if "place" in roles}


def test_arabic_status_cues() -> None:
    lex = load_lexicon("ar")
    assert [c.status for c in _lookup(lex.status_cues, "يحاول")] == ["negotiating"]
    future = {(c.status, c.events) for c in _lookup(lex.status_cues, "سوف")}
    assert ("proposed", ("arms_transfer",)) in future
    assert any(s == "planned" and "meeting" in ev for s, ev in future)
    assert [c.status for c in _lookup(lex.status_cues, "أبرمت")] == ["agreed"]
    assert lex.status_precedence[0] == "cancelled"


def test_arabic_source_cues() -> None:
    lex = load_lexicon("ar")

    def cue(text: str):
        (found,) = _lookup(lex.source_cues, text)
        return found

    assert (cue("بحسب").stance, cue("بحسب").source) == ("reported", "after")
    assert cue("ذكرت").stance == "reported"
    assert cue("أضاف").continuation and cue("تابع").continuation
    assert (cue("رجحوا").stance, cue("رجحوا").continuation) == ("assessed", True)
    assert cue("نفت").stance == "denied"
    assert cue("اتهمت").stance == "alleged"
    assert cue("أكد").stance == "reported"  # documented choice
    assert cue("أكد صحة").stance == "confirmed"
    assert cue("حسبما ذكرت").claim == "before"
    cite = next(c for c in lex.source_cues if c.cites)
    assert cite.forms[0].words == ("نقل", "عن")


def test_arabic_anonymous_description() -> None:
    anon = load_lexicon("ar").anonymity
    (head,) = _lookup(anon.heads, "مصدر")
    mods = [_lookup(anon.modifiers, w)[0] for w in ("أمني", "أوروبي")]
    assert anon.describe([head.en], mods) == "European security source"
    (heads,) = _lookup(anon.heads, "مسؤولو")
    # The matcher strips the article first (the lexicon writes words bare).
    mods = [_lookup(anon.modifiers, w.removeprefix("ال"))[0] for w in ("الاستخبارات", "الغربية")]
    assert anon.describe([heads.en], mods) == "Western intelligence officials"
    mods = [_lookup(anon.modifiers, w)[0] for w in ("أخرى", "مجهولة")]
    assert anon.describe(["sources"], mods) == "other unnamed sources"
    assert _lookup(anon.qualifiers, "لم يكشف عن اسمه")
    assert _lookup(anon.qualifiers, "طلب عدم الكشف عن هويته")


def test_arabic_clitic_conventions() -> None:
    lex = load_lexicon("ar")
    assert lex.morphology.conjunctions == ("و", "ف")
    assert "س" in lex.morphology.future_prefixes
    # Forms are written without the conjunction: وأضاف is not listed, أضاف is.
    assert not _lookup(lex.source_cues, "وأضاف")


def test_english_lexicon() -> None:
    lex = load_lexicon("en")
    sell = _lookup(lex.triggers, "sold")
    assert [(t.event, t.needs_object) for t in sell] == [("arms_transfer", "weapon")]
    assert [t.event for t in _lookup(lex.triggers, "arms deal")] == ["arms_transfer"]
    assert [t.event for t in _lookup(lex.triggers, "extradited")] == ["extradition"]
    assert {t.event for t in _lookup(lex.triggers, "handed over")} == {
        "arms_transfer", "extradition"}
    according = _lookup(lex.source_cues, "according to")[0]
    assert (according.stance, according.source) == ("reported", "after")
    assert _lookup(lex.source_cues, "he added")[0].continuation
    assert _lookup(lex.source_cues, "denied")[0].stance == "denied"
    assert _lookup(lex.source_cues, "citing")[0].cites
    assert _lookup(lex.blockers, "press release")
    assert _lookup(lex.anonymity.phrases, "people familiar with the matter")
    assert _lookup(lex.role_cues, "worth")[0].roles == {"arms_transfer": ("value",)}
    assert _lookup(lex.media_nouns, "newspaper")[0].en == "newspaper"
    assert _lookup(lex.titles, "spokesman")[0].en == "spokesperson"
    # Punctuation is a token of its own, in forms as in text.
    (us,) = _lookup(lex.anonymity.modifiers, "U.S.")
    assert us.en == "US"
    assert [f.words for f in us.forms if f.key == "u . s ."] == [("u", ".", "s", ".")]
    assert _lookup(lex.negation, "didn’t") == _lookup(lex.negation, "didn't") != []


# --------------------------------------------------------------------------- patterns


def test_expand_pattern_examples() -> None:
    assert expand_pattern("{ي|ت}بيع") == ["يبيع", "تبيع"]
    assert expand_pattern("باع{|ت|وا}") == ["باع", "باعت", "باعوا"]
    assert expand_pattern("{a|b} {c|}") == ["a c", "a", "b c", "b"]
    assert expand_pattern("{x|x}") == ["x"]
    with pytest.raises(ValueError):
        expand_pattern("{a|{b}}")
    with pytest.raises(ValueError):
        expand_pattern("a}")
    with pytest.raises(ValueError):
        expand_pattern("{a|b|c|d}" * 5)  # 1024 forms


words = st.lists(st.text(alphabet="abcdef", min_size=1, max_size=3), min_size=1, max_size=4)


@given(words, words)
def test_expand_pattern_is_the_cartesian_product(left: list[str], right: list[str]) -> None:
    pattern = "{" + "|".join(left) + "}-{" + "|".join(right) + "}"
    expected: list[str] = []
    for a in left:
        for b in right:
            if f"{a}-{b}" not in expected:
                expected.append(f"{a}-{b}")
    assert expand_pattern(pattern) == expected


def test_form_words_are_tokens_and_gaps_fall_between_chunks(tmp_path: Path) -> None:
    data = _trigger(forms=["ak-47s * arms"])
    (form,) = load_lexicon_file(_write(tmp_path, data)).triggers[0].forms
    assert form.words == ("ak", "-", "47", "s", "arms")
    assert form.gaps == (0, 0, 0, 3)
    assert form.key == form_key("AK-47s arms") == "ak - 47 s arms"


def test_fold() -> None:
    assert fold("ألقى") == fold("القي") == "القي"
    assert fold("بَاعَ") == "باع"
    assert fold("صفقـة") == "صفقه"
    assert fold("  According   To ") == "according to"


# --------------------------------------------------------------------------- validator

MINIMAL: dict[str, Any] = {
    "language": "en",
    "triggers": [
        {"id": "x.one", "event": "arms_transfer", "needs_object": "weapon",
         "agent_role": "supplier", "forms": ["sell{|s}"]},
    ],
}


def _write(tmp_path: Path, data: dict[str, Any], name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _with(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(MINIMAL)
    data.update(changes)
    return data


def _trigger(**changes: Any) -> dict[str, Any]:
    trigger = copy.deepcopy(MINIMAL["triggers"][0])
    trigger.update(changes)
    return _with(triggers=[trigger])


def test_minimal_file_loads(tmp_path: Path) -> None:
    lex = load_lexicon_file(_write(tmp_path, MINIMAL), "en")
    assert [f.text for f in lex.triggers[0].forms] == ["sell", "sells"]
    assert lex.triggers[0].status is None
    other = _trigger(event="arrest", agent_role="agent", needs_object=None)
    assert load_lexicon_file(_write(tmp_path, other)).triggers[0].status == "occurred"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_trigger(event="arms_deal"), r"triggers\[0\] \(x\.one\): event 'arms_deal'"),
        (_trigger(agent_role="route"), r"agent_role 'route' is not one of"),
        (_trigger(status="occurred"), r"status 'occurred' is not one of"),
        (_trigger(needs_object="vehicle"), r"needs_object 'vehicle'"),
        (_trigger(need_object="weapon"), r"unknown key\(s\) need_object"),
        (_trigger(forms=[]), r"forms must be a non-empty list"),
        (_trigger(forms=["sell", ""]), r"empty or non-text form"),
        (_trigger(forms=["{sell|sold"]), r"unbalanced or nested braces"),
        (_trigger(forms=["sell *"]), r"a gap must stand between two words"),
        (_trigger(forms=["* sell"]), r"a gap must stand between two words"),
        (_trigger(forms=["sell * * arms"]), r"a gap must stand between two words"),
        (_trigger(forms=["باع"]), r"Arabic letters in the English lexicon"),
        (_trigger(forms=["sell, arms"]), r"unexpected character ','"),
        (_trigger(forms=["one two three four five six seven"]), r"more than 6 words"),
        (_trigger(ambiguous="yes"), r"ambiguous must be true or false"),
        (_with(language="ar"), r"language must be 'en'"),
        (_with(triggers=[]), r"at least one trigger"),
        (_with(trigers=[]), r"unknown section\(s\) trigers"),
        (_with(max_gap=20), r"max_gap"),
        (_with(role_cues=[{"forms": ["via"], "roles": {"arms_transfer": "route"}}]),
         r"role_cues\[0\] \(via\): arms_transfer has no role 'route'"),
        (_with(role_cues=[{"forms": ["via"], "roles": {"any": "route"}}]),
         r"no event type has the role 'route'"),
        (_with(status_cues=[{"forms": ["shipped"], "status": "delivered", "events": ["meeting"]}]),
         r"status 'delivered' does not apply to 'meeting'"),
        (_with(status_cues=[{"forms": ["x"], "status": "finished"}]), r"status 'finished'"),
        (_with(source_cues=[{"forms": ["said"], "stance": "hinted", "source": "after"}]),
         r"stance 'hinted'"),
        (_with(source_cues=[{"forms": ["said"], "stance": "reported", "source": "above"}]),
         r"source 'above'"),
        (_with(anonymity={"modifiers": [{"forms": ["senior"], "en": "senior", "slot": "age"}]}),
         r"slot 'age'"),
        (_with(object_words={"vehicle": ["car"]}), r"unknown class 'vehicle'"),
        (_with(status_precedence=["agreed", "agreed"]), r"distinct statuses"),
        (_with(media_nouns=[{"forms": ["paper"]}]), r"missing en"),
    ],
)
def test_validator_rejects(tmp_path: Path, data: dict[str, Any], message: str) -> None:
    with pytest.raises(LexiconError, match=message) as info:
        load_lexicon_file(_write(tmp_path, data), "en")
    assert str(info.value).startswith(str(tmp_path / "bad.yaml") + ": ")


def test_validator_rejects_vocalised_and_latin_arabic(tmp_path: Path) -> None:
    base = {"language": "ar", "triggers": [{"id": "a", "event": "arrest", "forms": ["اعتقل"]}]}
    for form, message in (("بَاعَ", "unvocalised"), ("اعتقـل", "unvocalised"),
                          ("sell", "Arabic letters")):
        data = copy.deepcopy(base)
        data["triggers"][0]["forms"] = [form]
        with pytest.raises(LexiconError, match=message):
            load_lexicon_file(_write(tmp_path, data), "ar")


def test_duplicate_ids_are_rejected(tmp_path: Path) -> None:
    data = _with(triggers=[MINIMAL["triggers"][0], dict(MINIMAL["triggers"][0], forms=["buy"])])
    with pytest.raises(LexiconError, match=r"duplicate id 'x\.one'"):
        load_lexicon_file(_write(tmp_path, data))


def test_conflicting_trigger_forms_need_ambiguous_and_a_disambiguator(tmp_path: Path) -> None:
    arms = {"id": "x.arms", "event": "arms_transfer", "forms": ["hand * over"]}
    person = {"id": "x.person", "event": "extradition", "forms": ["hand * over"]}
    with pytest.raises(LexiconError, match=r"form 'hand over' means different things"):
        load_lexicon_file(_write(tmp_path, _with(triggers=[arms, person])))
    arms["ambiguous"] = person["ambiguous"] = True
    with pytest.raises(LexiconError, match="needs needs_object or requires_any"):
        load_lexicon_file(_write(tmp_path, _with(triggers=[arms, person])))
    arms["needs_object"], person["needs_object"] = "weapon", "person"
    lex = load_lexicon_file(_write(tmp_path, _with(triggers=[arms, person])))
    assert {t.event for t in build_index(lex.triggers)["hand over"]} == {
        "arms_transfer", "extradition"}


def test_variants_that_fold_alike_are_kept_once(tmp_path: Path) -> None:
    data = {"language": "ar",
            "triggers": [{"id": "a", "event": "arrest", "forms": ["{ألقى|ألقي|القي} القبض"]}]}
    (trigger,) = load_lexicon_file(_write(tmp_path, data), "ar").triggers
    assert [f.text for f in trigger.forms] == ["ألقى القبض"]


def test_same_meaning_in_two_triggers_is_allowed(tmp_path: Path) -> None:
    a = {"id": "x.a", "event": "arrest", "forms": ["arrested"]}
    b = {"id": "x.b", "event": "arrest", "forms": ["arrested", "detained"]}
    assert len(load_lexicon_file(_write(tmp_path, _with(triggers=[a, b]))).triggers) == 2


def test_folding_variants_collide(tmp_path: Path) -> None:
    """ألقى and ألقي are one form to the matcher, so they may not mean different things."""
    a = {"id": "a", "event": "arrest", "forms": ["ألقى القبض"]}
    b = {"id": "b", "event": "release", "forms": ["القي القبض"]}
    data = {"language": "ar", "triggers": [a, b]}
    with pytest.raises(LexiconError, match="means different things in 'a' and 'b'"):
        load_lexicon_file(_write(tmp_path, data), "ar")


def test_other_sections_detect_conflicts(tmp_path: Path) -> None:
    cases = [
        {"role_cues": [{"forms": ["to"], "roles": {"extradition": "to"}},
                       {"forms": ["to"], "roles": {"extradition": "from"}}]},
        {"status_cues": [{"forms": ["done"], "status": "occurred"},
                         {"forms": ["done"], "status": "planned", "events": ["meeting"]}]},
        {"source_cues": [{"forms": ["said"], "stance": "reported", "source": "after"},
                         {"forms": ["said"], "stance": "denied", "source": "after"}]},
        {"titles": [{"forms": ["chief"], "en": "chief"}, {"forms": ["chief"], "en": "head"}]},
    ]
    for extra in cases:
        with pytest.raises(LexiconError, match="means different things"):
            load_lexicon_file(_write(tmp_path, _with(**extra)))
    # Same word, different statuses, but for disjoint event types: no conflict.
    fine = {"status_cues": [{"forms": ["will"], "status": "proposed"},
                            {"forms": ["will"], "status": "planned"}]}
    assert len(load_lexicon_file(_write(tmp_path, _with(**fine))).status_cues) == 2


def test_bad_files(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("language: en\ntriggers: [\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="invalid YAML"):
        load_lexicon_file(bad)
    bad.write_text("- just a list\n", encoding="utf-8")
    with pytest.raises(LexiconError, match="must hold a mapping"):
        load_lexicon_file(bad)
    with pytest.raises(LexiconError, match="cannot read"):
        load_lexicon_file(tmp_path / "missing.yaml")


@pytest.mark.parametrize("lang", ["xx", "../ar", "", "AR"])
def test_unknown_language(lang: str) -> None:
    with pytest.raises(LexiconError):
        load_lexicon(lang)
