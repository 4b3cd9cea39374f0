"""The bundled knowledge base: its data (coverage, hygiene, well-known entries) and the
loader's validation of analyst-provided files."""

from __future__ import annotations

import re
import time
from collections import Counter
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from raqib.kb import KBEntry, KBError, KnowledgeBase, fold_key, load_kb
from raqib.kb import loader as kb_loader

# The 193 UN member states by ISO 3166-1 alpha-2 code, grouped by UN regional group
# (Kiribati, which belongs to none, is listed with Asia-Pacific). Written out by hand so
# that the data is checked against an independent list.
_UN_MEMBER_CODES = """
dz ao bj bw bf bi cv cm cf td km cg cd ci dj eg gq er sz et ga gm gh gn gw ke ls lr ly mg
mw ml mr mu ma mz na ne ng rw st sn sc sl so za ss sd tz tg tn ug zm zw
af bh bd bt bn kh cn cy fj in id ir iq jp jo kz ki kw kg la lb my mv mh fm mn mm nr np kp
om pk pw pg ph qa ws sa sg sb kr lk sy tj th tl to tm tv ae uz vu vn ye
al am az by ba bg hr cz ee ge hu lv lt md me mk pl ro ru rs sk si ua
ag ar bs bb bz bo br cl co cr cu dm do ec sv gd gt gy ht hn jm mx ni pa py pe kn lc vc
sr tt uy ve
ad at be ca dk fi fr de gr is ie il it li lu mt mc nl nz no pt sm es se ch tr gb au us
"""
UN_MEMBERS = set(_UN_MEMBER_CODES.split())
CITY_STATES = {"sg", "mc", "sm"}
ARABIC = re.compile("[\u0600-\u06ff]")


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def ids_for(kb: KnowledgeBase, form: str) -> set[str]:
    return {entry.id for entry in kb.find(form)}


# --- coverage ------------------------------------------------------------------------------


def test_un_member_list_is_complete() -> None:
    assert len(UN_MEMBERS) == 193


def test_every_un_member_and_observer_is_a_state(kb: KnowledgeBase) -> None:
    members = {e.id.split(":")[1] for e in kb.by_type("state") if e.subtype is None}
    assert members == UN_MEMBERS
    observers = {e.id for e in kb.by_type("state") if e.subtype == "observer"}
    assert observers == {"state:va", "state:ps"}


def test_disputed_states_are_present(kb: KnowledgeBase) -> None:
    for name in ["Taiwan", "Kosovo", "Somaliland", "Northern Cyprus", "Abkhazia",
                 "South Ossetia", "Transnistria", "Sahrawi Arab Democratic Republic"]:
        assert any(e.name == name and e.subtype == "disputed" for e in kb.by_type("state")), name
    for region in ["location:crimea", "location:donbas", "location:western_sahara"]:
        assert kb.get(region) is not None


def test_minimum_counts_per_type(kb: KnowledgeBase) -> None:
    counts = Counter(entry.type for entry in kb)
    minimums = {"state": 203, "media": 80, "armed_group": 40, "organization": 100,
                "weapon": 80, "aircraft": 20, "person": 60, "location": 300, "vessel": 10}
    for entity_type, minimum in minimums.items():
        assert counts[entity_type] >= minimum, (entity_type, counts[entity_type])


def test_every_member_state_has_a_capital(kb: KnowledgeBase) -> None:
    capitals = {e.stands_for for e in kb.by_type("location") if e.subtype == "capital"}
    missing = {code for code in UN_MEMBERS - CITY_STATES if f"state:{code}" not in capitals}
    assert not missing


def test_capitals_and_seats_of_power_stand_for_states(kb: KnowledgeBase) -> None:
    for entry in kb.by_type("location"):
        if entry.subtype in ("capital", "seat_of_power"):
            assert entry.stands_for is not None and entry.stands_for.startswith("state:")


# --- well-known entries --------------------------------------------------------------------


@pytest.mark.parametrize(("form", "expected"), [
    ("أنصار الله", "armed_group:houthis"),
    ("الحوثيين", "armed_group:houthis"),
    ("Ansar Allah", "armed_group:houthis"),
    ("وكالة الصحافة الفرنسية", "media:afp"),
    ("فرانس برس", "media:afp"),
    ("AFP", "media:afp"),
    ("وول ستريت جورنال", "media:wsj"),
    ("صحيفة نيويورك تايمز", "media:nyt"),
    ("فيكتور بوت", "person:viktor_bout"),
    ("Victor Bout", "person:viktor_bout"),
    ("تيم ليندركينغ", "person:tim_lenderking"),
    ("فلاديمير بوتين", "person:vladimir_putin"),
    ("الجمعية العامة للأمم المتحدة", "body:unga"),
    ("مكتب مراقبة الأصول الأجنبية", "body:ofac"),
    ("أسلحة أوتوماتيكية", "weapon:automatic_weapons"),
    ("أسلحة صغيرة", "weapon:small_arms"),
    ("كلاشنيكوف", "weapon:ak47"),
    ("البحر الأحمر", "location:red_sea"),
    ("باب المندب", "location:bab_el_mandeb"),
    ("مانهاتن", "location:manhattan"),
    ("الحديدة", "location:hodeidah"),
    ("تايلاند", "state:th"),
    ("الولايات المتحدة", "state:us"),
    ("أمريكا", "state:us"),
    ("روسيا الاتحادية", "state:ru"),
    ("داعش", "armed_group:isil"),
    ("قوات الدعم السريع", "armed_group:rsf"),
    ("حميدتي", "person:hemedti"),
    ("هيئة تحرير الشام", "armed_group:hts"),
    ("الحرس الثوري", "body:irgc"),
    ("روسوبورون إكسبورت", "body:rosoboronexport"),
    ("غالاكسي ليدر", "vessel:galaxy_leader"),
])
def test_well_known_forms_resolve(kb: KnowledgeBase, form: str, expected: str) -> None:
    assert ids_for(kb, form) == {expected}


@pytest.mark.parametrize(("form", "state"), [
    ("الكرملين", "state:ru"),
    ("موسكو", "state:ru"),
    ("البيت الأبيض", "state:us"),
    ("واشنطن", "state:us"),
    ("البنتاغون", "state:us"),
    ("داونينغ ستريت", "state:gb"),
    ("الإليزيه", "state:fr"),
    ("طهران", "state:ir"),
])
def test_seats_of_power_stand_for_their_state(kb: KnowledgeBase, form: str, state: str) -> None:
    (entry,) = kb.find(form)
    assert entry.stands_for == state


@pytest.mark.parametrize(("form", "state"), [
    ("روسيين", "state:ru"),
    ("الروسي", "state:ru"),
    ("الأميركي", "state:us"),
    ("الأمريكية", "state:us"),
    ("Russian", "state:ru"),
    ("الإيراني", "state:ir"),
    ("اليمني", "state:ye"),
])
def test_demonyms_stand_for_states(kb: KnowledgeBase, form: str, state: str) -> None:
    (entry,) = kb.find(form)
    assert entry.id == state
    assert any(kind == "demonym" and fold_key(f) == fold_key(form)
               for f, _, kind in entry.surface_forms())


def test_middle_east_is_the_region_not_the_newspaper(kb: KnowledgeBase) -> None:
    assert ids_for(kb, "الشرق الأوسط") == {"location:middle_east"}
    assert ids_for(kb, "صحيفة الشرق الأوسط") == {"media:asharq_al_awsat"}


@pytest.mark.parametrize("word", [
    "بوت", "العربية", "القاعدة", "الشباب", "الحرة", "الميادين", "الأخبار", "الفاصل", "كيف",
    "سيول", "الساحل", "المتوسط", "فارس", "كان", "الحدث", "شاهد", "بركان", "طوفان", "مسيرة",
    "IS", "mines",
])
def test_everyday_words_are_not_surface_forms(kb: KnowledgeBase, word: str) -> None:
    assert kb.find(word) == []


@pytest.mark.parametrize(("form", "expected"), [
    ("عمان", {"state:om", "location:amman"}),
    ("Congolese", {"state:cd", "state:cg"}),
    ("CAR", {"state:cf", "org:conflict_armament_research"}),
])
def test_deliberately_shared_forms_carry_notes(kb: KnowledgeBase, form: str,
                                              expected: set[str]) -> None:
    entries = kb.find(form)
    assert {e.id for e in entries} == expected
    first, second = entries
    assert second.id in (first.note or "") or first.id in (second.note or "")


# --- data hygiene --------------------------------------------------------------------------


def test_names_and_forms_are_in_the_right_script(kb: KnowledgeBase) -> None:
    for entry in kb:
        assert "en" in entry.names and not ARABIC.search(entry.names["en"]), entry.id
        assert not ARABIC.search(entry.name), entry.id
        if entry.type not in ("weapon", "aircraft"):
            assert ARABIC.search(entry.names.get("ar", "")), entry.id
        for table in (entry.aliases, entry.demonyms):
            for form in table.get("ar", ()):
                assert ARABIC.search(form), (entry.id, form)
            for form in table.get("en", ()):
                assert not ARABIC.search(form), (entry.id, form)


def test_wikidata_ids_are_not_shared(kb: KnowledgeBase) -> None:
    qids = Counter(e.links["wikidata"] for e in kb if "wikidata" in e.links)
    assert [q for q, n in qids.items() if n > 1] == []
    assert kb.get("state:ru").links == {"wikidata": "Q159"}
    assert kb.get("body:un").links == {"wikidata": "Q1065"}


def test_media_have_a_subtype_and_parents_make_sense(kb: KnowledgeBase) -> None:
    assert all(entry.subtype for entry in kb.by_type("media"))
    assert kb.get("body:ofac").parent == "body:us_treasury"
    assert kb.get("armed_group:africa_corps").parent == "body:ru_mod"
    assert "armed_group:wagner" in (kb.get("armed_group:africa_corps").note or "")


def test_bundled_files_read_the_same_with_yaml_typing() -> None:
    # The loader does not type scalars; make sure no value would change type (no, on, 1.0)
    # for a tool that reads the files with yaml.safe_load.
    data_dir = Path(kb_loader.__file__).parent / "data"
    files = sorted(data_dir.glob("*.yaml"))
    assert len(files) >= 9
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert yaml.safe_load(text) == yaml.load(text, Loader=yaml.BaseLoader), path.name


def test_surface_forms_lists_each_form_once_with_its_kind(kb: KnowledgeBase) -> None:
    russia = kb.get("state:ru")
    assert isinstance(russia, KBEntry)
    forms = list(russia.surface_forms())
    assert forms[0] == ("Russia", "en", "name")
    assert ("روسيا", "ar", "name") in forms
    assert ("الاتحاد الروسي", "ar", "alias") in forms
    assert ("روسيين", "ar", "demonym") in forms
    assert len({(f, lang) for f, lang, _ in forms}) == len(forms)
    assert {kind for _, _, kind in forms} == {"name", "alias", "demonym"}


def test_bundled_kb_is_cached_and_fast() -> None:
    assert load_kb() is load_kb()
    # CPU time of a cold load (parse + validate), so that other processes on a busy
    # machine do not make the test flaky; the target is half a second.
    timings = []
    for _ in range(3):
        kb_loader._bundled_records.cache_clear()
        kb_loader._bundled_kb.cache_clear()
        start = time.process_time()
        load_kb()
        timings.append(time.process_time() - start)
    assert min(timings) < 0.5, timings


# --- the fold used for collision checks ----------------------------------------------------


def test_fold_key_examples() -> None:
    assert fold_key("الأميركي") == fold_key("أميركي") == "اميركي"
    assert fold_key("عُمان") == "عمان"
    assert fold_key("صحيفة") == "صحيفه"
    assert fold_key("مستشفى") == "مستشفي"
    assert fold_key("The  Guardian") == "guardian"
    assert fold_key("RT") == "rt"


@given(st.text(alphabet="ابتثجحخدذرسشصضطظعغفقكلمنهوي ", min_size=1, max_size=20),
       st.lists(st.sampled_from(["\u064e", "\u064f", "\u0650", "\u0651", "\u0652", "\u0640"]),
                max_size=5))
def test_fold_key_ignores_diacritics_and_tatweel(text: str, marks: list[str]) -> None:
    marked = text[:1] + "".join(marks) + text[1:]
    assert fold_key(marked) == fold_key(text)


# --- validation of analyst-provided files --------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "extra.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """
- id: person:test_broker
  type: person
  name: Test Broker
  names: {ar: سمسار الاختبار}
  aliases:
    en: [T. Broker]
  parent: armed_group:houthis
  country: ye
"""


def test_extra_files_add_entries_without_touching_the_bundled_kb(tmp_path: Path) -> None:
    bundled = load_kb()
    merged = load_kb([write(tmp_path, GOOD)])
    assert len(merged) == len(bundled) + 1
    entry = merged.get("person:test_broker")
    assert entry is not None and entry.names == {"ar": "سمسار الاختبار", "en": "Test Broker"}
    assert bundled.get("person:test_broker") is None


def test_extra_directories_are_read_recursively(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub", GOOD, "a.yml")
    other = (GOOD.replace("test_broker", "other_broker").replace("Test Broker", "Other Broker")
             .replace("T. Broker", "O. Broker").replace("سمسار الاختبار", "سمسار آخر"))
    write(tmp_path, other, "b.yaml")
    merged = load_kb([tmp_path])
    assert "person:test_broker" in merged and "person:other_broker" in merged


@pytest.mark.parametrize(("text", "message"), [
    (GOOD.replace("person:test_broker", "person:viktor_bout"), "duplicate id"),
    (GOOD.replace("person:test_broker", "Person:Bad"), "id must look like"),
    (GOOD.replace("type: person", "type: smuggler"), "type must be one of"),
    (GOOD.replace("type: person", "type: media"), "does not fit type"),
    (GOOD.replace("  names: {ar: سمسار الاختبار}\n", ""), "names.ar"),
    (GOOD.replace("parent: armed_group:houthis", "parent: armed_group:nobody"),
     "parent 'armed_group:nobody' does not exist"),
    (GOOD + "  stands_for: armed_group:houthis\n", "not the id of a state"),
    (GOOD.replace("country: ye", "country: zz"), "country 'zz'"),
    (GOOD + "  note: see person:nobody_at_all\n", "person:nobody_at_all"),
    (GOOD + "  alias: [x]\n", "unknown field(s) alias"),
    (GOOD + "  subtype: smuggler\n", "subtype 'smuggler'"),
    (GOOD + "  links: {wikidata: 159}\n", "links.wikidata"),
    (GOOD.replace("en: [T. Broker]", "en: [T. Broker, T. Broker]"), "twice"),
    (GOOD.replace("T. Broker", "Ansar Allah"), "collides with armed_group:houthis"),
    ("- id: [unclosed\n", "not valid YAML"),
    ("id: person:x\n", "top level must be a list"),
])
def test_invalid_extra_data_is_reported_with_file_and_entry(tmp_path: Path, text: str,
                                                           message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(KBError) as caught:
        load_kb([path])
    assert message in str(caught.value)
    assert str(path) in str(caught.value)


def test_a_noted_collision_is_accepted(tmp_path: Path) -> None:
    text = GOOD.replace("T. Broker", "Ansar Allah") + (
        "  note: Shares a name with armed_group:houthis on purpose.\n")
    merged = load_kb([write(tmp_path, text)])
    assert ids_for(merged, "Ansar Allah") == {"armed_group:houthis", "person:test_broker"}


def test_a_single_path_and_an_empty_file_are_accepted(tmp_path: Path) -> None:
    merged = load_kb(str(write(tmp_path, GOOD)))
    assert "person:test_broker" in merged
    assert len(load_kb([write(tmp_path, "# nothing yet\n", "empty.yaml")])) == len(load_kb())


def test_missing_extra_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(KBError, match="does not exist"):
        load_kb([tmp_path / "nope.yaml"])
