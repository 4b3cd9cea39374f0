"""Arabic event words of news reports: dual and plural verbs of arrest, conviction and
sentencing forms, a reduced sentence, sanctions extended, captives freed, and condolence
visits that are no meeting. Sentences are written for these tests; each expectation is
what an analyst would annotate under shared/corpus/ANNOTATION.md.
"""

from __future__ import annotations

from raqib.model import Document
from raqib.pipeline import extract


def _events(text: str) -> list[tuple[str, str | None, dict[str, list[str]]]]:
    """(type, status, role -> entity names) for each event of `text`."""
    result = extract(Document.from_text(text, source="test", language="ar"))
    names = {e.id: e.name for e in result.entities}
    out = []
    for event in result.to_dict()["events"]:
        roles = {role: sorted(names.get(v.get("entity"), v.get("text", "")) for v in values)
                 for role, values in event["roles"].items()}
        out.append((event["type"], event["status"], roles))
    return out


def _types(text: str) -> list[str]:
    return [kind for kind, _, _ in _events(text)]


def test_a_dual_verb_of_arrest_is_an_arrest_and_its_object_the_person() -> None:
    # "The two (soldiers) arrested the young man Ahmed Mansour in Baghdad": the dual
    # ending is the subject, the name after the verb is the one arrested.
    events = _events("واعتقلا الشاب أحمد منصور في بغداد أمس .")
    assert [kind for kind, _, _ in events] == ["arrest"]
    _, status, roles = events[0]
    assert status == "occurred"
    assert "agent" not in roles
    assert roles.get("place") == ["Baghdad"]


def test_a_plural_verb_of_arrest_takes_its_object_as_the_person() -> None:
    events = _events("وقالت الشرطة العراقية إن عناصرها اعتقلوا أحمد منصور في البصرة .")
    assert [kind for kind, _, _ in events] == ["arrest"]
    assert events[0][2].get("person") == ["أحمد منصور"]


def test_a_singular_verb_still_has_its_subject_after_it() -> None:
    # Verb-subject order with a singular verb: "arrested the Iraqi army X" - the army
    # (a known body) is the agent, the man the person.
    events = _events("واعتقل الجيش العراقي أحمد منصور في البصرة .")
    assert [kind for kind, _, _ in events] == ["arrest"]
    assert events[0][2].get("person") == ["أحمد منصور"]
    assert events[0][2].get("agent")


def test_convicted_in_the_passive_is_a_sentence() -> None:
    assert _types("وأدين الصحفي أحمد منصور أمام محكمة في القاهرة بتهمة نشر أخبار كاذبة .") \
        == ["sentence"]


def test_a_named_court_is_the_court_of_the_sentence() -> None:
    events = _events("وأدانت محكمة أمن الدولة النائب خالد الزعبي بتهمة التحريض "
                     "وحكمت عليه بالسجن عامين .")
    assert [kind for kind, _, _ in events] == ["sentence"]
    assert events[0][2].get("court") == ["محكمة أمن الدولة"]
    assert events[0][2].get("person") == ["خالد الزعبي"]


def test_dana_with_a_court_is_a_conviction() -> None:
    events = _events("ودانت محكمة في القاهرة الصحفي أحمد منصور بتهمة نشر أخبار كاذبة .")
    assert [kind for kind, _, _ in events] == ["sentence"]
    assert events[0][2].get("person") == ["أحمد منصور"]


def test_dana_without_a_court_is_a_condemnation() -> None:
    # "Jordan condemned the attack": no court, no charge - no sentence.
    assert _types("ودانت الأردن الهجوم على السفارة في بغداد .") == []


def test_ruled_to_imprison_is_a_sentence_of_the_named_person() -> None:
    events = _events("وقضت المحكمة بسجن الصحفي أحمد منصور ثلاث سنوات .")
    assert [kind for kind, _, _ in events] == ["sentence"]
    assert events[0][2].get("person") == ["أحمد منصور"]
    assert "court" not in events[0][2]


def test_a_reduced_sentence_is_a_sentence() -> None:
    assert _types("وقررت محكمة التمييز تخفيض العقوبة على الصحفي أحمد منصور إلى عام واحد .") \
        == ["sentence"]


def test_extending_sanctions_is_a_sanction() -> None:
    events = _events("ومدد الاتحاد الأوروبي العقوبات المفروضة على إيران لمدة عام .")
    assert [kind for kind, _, _ in events] == ["sanction"]
    assert events[0][2].get("authority") == ["European Union"]
    assert events[0][2].get("target") == ["Iran"]


def test_renewing_a_call_for_sanctions_is_no_sanction() -> None:
    assert _types("وجدد الاتحاد الأوروبي دعوته إلى فرض عقوبات على إيران .") == []


def test_a_condolence_visit_is_no_meeting() -> None:
    text = ("وقام الملك عبد الله الثاني بزيارة تعزية إلى الرئيس الفلسطيني محمود عباس "
            "في رام الله وقدم التعازي للرئيس محمود عباس .")
    assert "meeting" not in _types(text)


def test_a_visit_for_talks_is_still_a_meeting() -> None:
    text = "وزار الرئيس الفرنسي إيمانويل ماكرون بيروت واستقبله الرئيس اللبناني ميشال عون ."
    assert "meeting" in _types(text)


def test_freeing_hostages_is_a_release() -> None:
    events = _events("وتمكنت قوات الأمن العراقية من تحرير الرهائن في بغداد أمس .")
    assert "release" in [kind for kind, _, _ in events]


def test_the_person_freed_is_the_one_after_an() -> None:
    # "Israel released yesterday the Lebanese prisoner Samir Kuntar": Israel frees,
    # Kuntar is freed (the subject between the verb and عن is the agent).
    events = _events("وأفرجت إسرائيل أمس عن الأسير اللبناني سمير القنطار .")
    assert [kind for kind, _, _ in events] == ["release"]
    assert events[0][2].get("agent") == ["Israel"]
    assert events[0][2].get("person") == ["سمير القنطار"]


def test_a_passive_release_has_the_freed_person_after_it() -> None:
    # "Ahmed Mansour was released yesterday": he is the person, nobody the agent.
    events = _events("وأطلق سراح الصحفي أحمد منصور أمس .")
    assert [kind for kind, _, _ in events] == ["release"]
    assert events[0][2].get("person") == ["أحمد منصور"]
    assert "agent" not in events[0][2]
