"""Events, attribution and statements on hand-written sentences (not from the corpus).

Each test states what an analyst would annotate, per ../shared/corpus/ANNOTATION.md.
"""

from __future__ import annotations

import pytest

from raqib.model import Document, Extraction
from raqib.pipeline import extract


def run(text: str, language: str, published: str | None = "2025-03-20",
        outlet: str | None = None) -> Extraction:
    document = Document.from_text(text, source="test", language=language,
                                  published=published, outlet=outlet)
    result = extract(document)
    payload = result.to_dict()
    for event in payload["events"]:
        for span in (event["trigger"], event["sentence"]):
            assert text[span["start"]:span["end"]] == span["text"]
    return result


def names(result: Extraction) -> dict[str, str]:
    return {e.id: e.name for e in result.entities}


def roles(result: Extraction, event_type: str) -> dict[str, list[str]]:
    event = next(e for e in result.events if e.type == event_type)
    by_id = names(result)
    return {role: [by_id.get(v, v) if isinstance(v, str) else v.text for v in values]
            for role, values in event.roles.items()}


def chain(result: Extraction, event_type: str) -> list[tuple[str, str | None]]:
    event = next(e for e in result.events if e.type == event_type)
    return [(s.kind, s.name) for s in event.attribution.chain]


def test_arabic_transfer_with_a_media_source_citing_an_unnamed_official() -> None:
    result = run("ذكرت وكالة رويترز أن إيران أرسلت شحنة صواريخ إلى الحوثيين الشهر الماضي، "
                 "بحسب مسؤول أمني غربي لم يكشف عن اسمه.", "ar", outlet="Al-Fassel")
    got = roles(result, "arms_transfer")
    assert got["supplier"] == ["Iran"]
    assert got["recipient"] == ["Houthis"]
    assert got["weapon"] == ["missiles"]
    event = result.events[0]
    assert event.attribution.stance == "reported"
    assert chain(result, "arms_transfer") == [
        ("outlet", "Al-Fassel"), ("media", "Reuters"), ("anonymous", "Western security official")]
    assert event.attribution.chain[2].span.text == "مسؤول أمني غربي لم يكشف عن اسمه"
    assert event.time is not None and event.time.value == "2025-02"


def test_negated_and_hypothetical_transfers_are_not_events() -> None:
    assert run("لم تبع روسيا أي أسلحة للحوثيين.", "ar").events == []
    assert run("لو باعت روسيا صواريخ للحوثيين لتغير ميزان القوى في المنطقة.", "ar").events == []
    assert run("Russia did not sell missiles to the Houthis.", "en").events == []
    assert run("Arms smuggling is a threat to the region, the minister said.", "en").events == []


def test_denial_is_a_statement_linked_to_the_event() -> None:
    result = run("ذكرت صحيفة الغارديان أن إيران زودت الحوثيين بطائرات مسيرة. "
                 "ونفت إيران تزويد الحوثيين بأي أسلحة.", "ar")
    transfer = next(e for e in result.events if e.type == "arms_transfer")
    denials = [s for s in result.statements if s.attribution.stance == "denied"]
    assert len(denials) == 1
    assert names(result)[denials[0].speaker] == "Iran"
    assert denials[0].denies == transfer.id


def test_arrest_extradition_and_sentence_in_the_outlets_own_voice() -> None:
    result = run("وألقت الشرطة التايلاندية القبض على فيكتور بوت في بانكوك عام 2008، "
                 "وتم ترحيله إلى الولايات المتحدة. وفي عام 2012 حكمت محكمة على بوت "
                 "بالسجن 25 عاما.", "ar")
    assert roles(result, "arrest")["person"] == ["Viktor Bout"]
    assert roles(result, "extradition") == {"person": ["Viktor Bout"], "to": ["United States"]}
    sentence = next(e for e in result.events if e.type == "sentence")
    assert sentence.time.value == "2012"
    assert [v.value for v in sentence.roles["term"]] == [{"years": 25}]
    assert all(e.attribution.stance == "asserted" for e in result.events)
    assert all(e.attribution.chain == result.events[0].attribution.chain for e in result.events)


def test_english_seizure_by_the_speaker_with_quantity_and_destination() -> None:
    result = run("The US Navy said on Tuesday it had seized 2,000 AK-47 rifles "
                 "bound for Yemen.", "en")
    got = roles(result, "seizure")
    assert got["seizer"] == ["US Navy"]
    assert got["destination"] == ["Yemen"]
    seizure = next(e for e in result.events if e.type == "seizure")
    quantity = seizure.roles["quantity"][0]
    assert quantity.value == {"amount": 2000, "unit": "rifle"}
    assert seizure.attribution.stance == "reported"
    assert chain(result, "seizure")[-1] == ("official", "US Navy")


def test_quotes_carry_their_speaker_over_continuations() -> None:
    text = ('قال المبعوث الأميركي الخاص إلى اليمن تيم ليندركينغ لوكالة الصحافة الفرنسية '
            'إن "الوضع خطير جدا". وأضاف "نحن نراقب الشحنات عن كثب". '
            'وتابع "لن نسمح بوصول هذه الأسلحة".')
    result = run(text, "ar")
    quotes = [s for s in result.statements if s.quote]
    assert [s.text for s in quotes] == ["الوضع خطير جدا", "نحن نراقب الشحنات عن كثب",
                                         "لن نسمح بوصول هذه الأسلحة"]
    assert {names(result)[s.speaker] for s in quotes} == {"Tim Lenderking"}
    assert [(link.kind, link.name) for link in quotes[0].attribution.chain][1:] == [
        ("media", "Agence France-Presse"), ("official", "Tim Lenderking")]


def test_one_event_per_occurrence_across_sentences() -> None:
    text = ("قالت مصادر إن فيكتور بوت يحاول بيع أسلحة للحوثيين. "
            "وأضافت المصادر أن بوت عرض على الحوثيين صفقة أسلحة بقيمة 5 ملايين دولار.")
    result = run(text, "ar")
    transfers = [e for e in result.events if e.type == "arms_transfer"]
    assert len(transfers) == 1
    values = [v.value for v in transfers[0].roles["value"]]
    assert values == [{"amount": 5000000, "currency": "USD"}]


def test_a_future_meeting_is_planned() -> None:
    result = run("Antony Blinken will meet Sergei Lavrov in Geneva next week.", "en")
    meeting = next(e for e in result.events if e.type == "meeting")
    assert meeting.status == "planned"
    got = roles(result, "meeting")
    assert sorted(got["participant"]) == ["Antony Blinken", "Sergei Lavrov"]
    assert got["place"] == ["Geneva"]


@pytest.mark.parametrize(("published", "status"), [
    ("2015-10", "occurred"),  # the 6th of the publication month: not known to be later
    ("2015", "occurred"),
    ("2015-10-05", "planned"),  # the day after publication
    ("2015-09", "planned"),
])
def test_only_a_date_after_publication_makes_a_meeting_planned(published: str,
                                                                status: str) -> None:
    result = run("Antony Blinken met Sergei Lavrov in Geneva on October 6, 2015.", "en",
                 published=published)
    meeting = next(e for e in result.events if e.type == "meeting")
    assert meeting.time is not None and meeting.time.value == "2015-10-06"
    assert meeting.status == status


def test_a_seizure_of_a_shipment_is_also_an_intercepted_transfer() -> None:
    result = run("The US Navy seized a shipment of Iranian missiles bound for the Houthis.", "en")
    assert roles(result, "seizure")["seizer"] == ["US Navy"]
    transfer = next(e for e in result.events if e.type == "arms_transfer")
    assert transfer.status == "intercepted"
    got = roles(result, "arms_transfer")
    assert got["origin"] == ["Iran"] and got["recipient"] == ["Houthis"]
    assert "supplier" not in got  # the navy stopped the shipment; it did not send it
    seized = roles(result, "seizure")
    assert seized["weapon"] == ["missiles"]
    assert seized["origin"] == ["Iran"]
    assert seized["destination"] == ["Houthis"]


def test_an_accusation_covers_only_what_follows_it() -> None:
    result = run("وكانت الولايات المتحدة قد فرضت الشهر الماضي عقوبات على شبكة تهريب تتهمها "
                 "بنقل أسلحة إيرانية إلى اليمن.", "ar")
    assert sorted(e.type for e in result.events) == ["arms_transfer", "sanction"]
    sanction = next(e for e in result.events if e.type == "sanction")
    transfer = next(e for e in result.events if e.type == "arms_transfer")
    assert sanction.attribution.stance == "asserted"  # the outlet states the sanctions
    assert transfer.attribution.stance == "alleged"  # the transfer is what is alleged
    assert roles(result, "sanction")["authority"] == ["United States"]
    got = roles(result, "arms_transfer")
    assert got["origin"] == ["Iran"] and got["recipient"] == ["Yemen"]
    assert "supplier" not in got  # "شبكة تهريب" names the network; it is no new event


def test_a_scheduled_arabic_meeting_is_planned() -> None:
    """"من المقرر" is a status cue of deals (proposed) and of meetings (planned): the
    meeting takes its own reading."""
    result = run("ومن المقرر أن يلتقي وزير الخارجية الأمريكي أنتوني بلينكن نظيره الروسي "
                 "سيرغي لافروف في جنيف.", "ar")
    meeting = next(e for e in result.events if e.type == "meeting")
    assert meeting.status == "planned"


def test_a_meeting_last_week_is_not_planned() -> None:
    """"Last week" resolves to an ISO week; a week before publication is in the past."""
    result = run("Antony Blinken met Sergei Lavrov in Geneva last week.", "en",
                 published="2024-10-09")
    meeting = next(e for e in result.events if e.type == "meeting")
    assert meeting.time is not None and meeting.time.value == "2024-W40"
    assert meeting.status == "occurred"
