"""Event roles in news phrasing: a speaker announcing its own arrests, "not released until",
refused talks, Arabic passives read from a bare verb, serving a sentence, both sides of a
call or a reception, and a ministry that only locates an unnamed source. Sentences are
written for these tests; each expectation is what an analyst would annotate under
shared/corpus/ANNOTATION.md.
"""

from __future__ import annotations

from raqib.model import Document
from raqib.pipeline import extract


def _events(text: str, language: str = "ar") -> list[tuple[str, dict[str, list[str]]]]:
    """(type, role -> entity names) for each event of `text`."""
    result = extract(Document.from_text(text, source="test", language=language))
    names = {e.id: e.name for e in result.entities}
    out = []
    for event in result.to_dict()["events"]:
        roles = {role: sorted(names.get(v.get("entity"), v.get("text", "")) for v in values)
                 for role, values in event["roles"].items()}
        out.append((event["type"], roles))
    return out


def _of_type(text: str, kind: str, language: str = "ar") -> list[dict[str, list[str]]]:
    return [roles for event_type, roles in _events(text, language) if event_type == kind]


# -- 1. the announcer of a list of operations is their agent ---------------------------

def test_an_arrest_listed_after_the_announcer_has_the_announcer_as_agent() -> None:
    # "The Israeli army announced three killed and five wanted men arrested in Jenin":
    # the army announces its own operation, so it is the arresting side; the detainees
    # are unnamed, so no person.
    arrests = _of_type("أعلن الجيش الإسرائيلي مقتل ثلاثة واعتقال خمسة مطلوبين في جنين .",
                       "arrest")
    assert len(arrests) == 1
    assert arrests[0].get("agent") == ["Israel Defense Forces"]
    assert "person" not in arrests[0]


def test_a_claim_after_that_does_not_make_the_speaker_the_agent() -> None:
    # "The army said that five were arrested": after أن the arrest is a claim of its
    # own; the coordination rule must not reach across it.
    arrests = _of_type("وقال الجيش الإسرائيلي إن مسلحين قتلوا واعتقال خمسة تم أمس .", "arrest")
    assert all("agent" not in roles for roles in arrests)


# -- 2. "not released until" is a release; refused talks are no meeting ----------------

def test_not_released_until_is_a_release_of_the_person_named_before() -> None:
    # "Sources said journalist Ahmed Mansour was not released until three days later".
    releases = _of_type("وقالت مصادر إن الصحفي أحمد منصور لم يفرج عنه إلا بعد ثلاثة أيام .",
                        "release")
    assert releases == [{"person": ["أحمد منصور"]}]


def test_a_plain_negated_release_is_still_no_event() -> None:
    assert _of_type("ولم تفرج السلطات عن الصحفي أحمد منصور .", "release") == []


def test_not_released_until_a_date_is_a_release_in_english() -> None:
    releases = _of_type("The United States did not release Viktor Bout until December 2022.",
                        "release", "en")
    assert releases == [{"agent": ["United States"], "person": ["Viktor Bout"]}]


def test_until_in_a_later_clause_does_not_lift_the_negation() -> None:
    assert _of_type("The United States did not release Viktor Bout, until now.",
                    "release", "en") == []
    assert _of_type("The United States did not release Viktor Bout.", "release", "en") == []


def test_refusing_to_attend_talks_is_no_meeting() -> None:
    text = "Vladimir Putin refused to attend talks with Volodymyr Zelensky in Istanbul."
    assert _of_type(text, "meeting", "en") == []


def test_holding_talks_is_still_a_meeting() -> None:
    text = "Vladimir Putin held talks with Volodymyr Zelensky in Istanbul."
    assert len(_of_type(text, "meeting", "en")) == 1


# -- 3. which side of an arrest or sentence ---------------------------------------------

def test_a_bare_verb_after_its_subject_with_no_object_is_a_passive() -> None:
    # "Ahmed Mansour had been arrested in Baghdad last month": اعتقل is unvocalised;
    # with nothing arrested after it, Mansour is the one arrested, not the agent.
    arrests = _of_type("وكان أحمد منصور قد اعتقل في بغداد الشهر الماضي .", "arrest")
    assert len(arrests) == 1
    assert arrests[0].get("person") == ["أحمد منصور"]
    assert "agent" not in arrests[0]


def test_a_subject_before_the_verb_leaves_the_name_after_it_as_the_person() -> None:
    # "The Iraqi army had arrested Ahmed Mansour": subject first, so the name after the
    # verb is its object, not a verb-subject agent.
    arrests = _of_type("وكان الجيش العراقي قد اعتقل أحمد منصور في بغداد الشهر الماضي .",
                       "arrest")
    assert len(arrests) == 1
    assert arrests[0].get("person") == ["أحمد منصور"]
    assert arrests[0].get("agent") and "أحمد منصور" not in arrests[0]["agent"]


def test_a_pronoun_subject_after_inna_makes_the_name_after_the_verb_the_person() -> None:
    # "The Turkish police said it arrested Ahmed Mansour in Istanbul".
    arrests = _of_type("وقالت الشرطة التركية إنها اعتقلت أحمد منصور في إسطنبول .", "arrest")
    assert len(arrests) == 1
    assert arrests[0].get("person") == ["أحمد منصور"]
    assert "أحمد منصور" not in arrests[0].get("agent", [])


def test_a_feminine_verb_after_forces_keeps_them_as_agent() -> None:
    # "Interior ministry forces killed two and arrested (others) after a raid": the
    # feminine verb agrees with the forces, who did the arresting.
    arrests = _of_type("وقالت مصادر أمنية إن قوات وزارة الداخلية قتلت اثنين واعتقلت إثر مداهمة .",
                       "arrest")
    assert len(arrests) == 1
    assert arrests[0].get("agent") == ["وزارة الداخلية"]
    assert "person" not in arrests[0]


def test_serving_a_prison_term_names_the_convict_not_a_court() -> None:
    # "Ahmed Mansour is currently serving a ten-year prison sentence".
    sentences = _of_type("ويقضي أحمد منصور حاليا حكما بالسجن عشر سنوات .", "sentence")
    assert len(sentences) == 1
    assert sentences[0].get("person") == ["أحمد منصور"]
    assert "court" not in sentences[0]


# -- 4. both sides of a call or a reception ----------------------------------------------

def test_both_presidents_of_a_phone_call_are_participants() -> None:
    # "The Russian and Turkish presidents Putin and Erdogan held a phone call yesterday".
    meetings = _of_type("الرئيسان الروسي فلاديمير بوتين والتركي رجب طيب أردوغان أجريا "
                        "اتصالا هاتفيا أمس .", "meeting")
    assert len(meetings) == 1
    assert meetings[0].get("participant") == ["Recep Tayyip Erdoğan", "Vladimir Putin"]


def test_a_reception_referred_back_to_by_its_pronoun_is_one_meeting_of_both() -> None:
    # "MPs criticised Prime Minister Benjamin Netanyahu for receiving the Russian foreign
    # minister Sergei Lavrov and said that receiving him now was a mistake": the
    # reception (استقبال) of Lavrov by Netanyahu, with استقباله referring back to it.
    meetings = _of_type("وانتقد النواب رئيس الوزراء بنيامين نتنياهو لاستقبال وزير الخارجية "
                        "الروسي سيرغي لافروف وقالوا إن استقباله الآن خطأ .", "meeting")
    assert len(meetings) == 1
    assert meetings[0].get("participant") == ["Benjamin Netanyahu", "Sergei Lavrov"]


# -- 5. a body that only locates an unnamed source ---------------------------------------

def test_a_ministry_inside_an_unnamed_source_is_no_party() -> None:
    # "According to sources at the Iraqi interior ministry, smugglers sold weapons": the
    # ministry says where the sources sit; it did not sell anything.
    events = _events("وحسب مصادر بوزارة الداخلية العراقية فقد سلم مهربون أسلحة إلى مسلحين .")
    for _, roles in events:
        assert not any("وزارة الداخلية" in name or "Interior" in name
                       for names in roles.values() for name in names)


# -- "the operation" refers back to the last operation's doer ----------------------------

OPERATION = "وقالت مصادر إن قوات وزارة الداخلية اعتقلت أحمد منصور في البصرة . "


def test_what_the_operation_yielded_was_done_by_the_forces_of_that_operation() -> None:
    # "... interior ministry forces arrested Ahmed Mansour in Basra. They added that the
    # operation led to the seizure of quantities of weapons": the same forces seized them,
    # at the same place.
    seizures = _of_type(OPERATION + "وأضافت أن العملية أسفرت عن مصادرة كميات من الأسلحة .",
                        "seizure")
    assert len(seizures) == 1
    assert seizures[0].get("seizer") == ["وزارة الداخلية"]
    assert seizures[0].get("place") == ["Basra"]


def test_without_the_operation_word_no_doer_is_borrowed() -> None:
    seizures = _of_type(OPERATION + "وأضافت أنه تمت مصادرة كميات من الأسلحة .", "seizure")
    assert seizures == []


def test_an_operation_three_sentences_back_is_out_of_reach() -> None:
    filler = "وكان الطقس حارا . وازدحمت الطرق . وأغلقت المدارس . "
    seizures = _of_type(OPERATION + filler +
                        "وأضافت أن العملية أسفرت عن مصادرة كميات من الأسلحة .", "seizure")
    assert seizures == []


def test_refusing_to_take_part_in_talks_is_no_meeting_in_arabic() -> None:
    # "Erdogan refused to take part in talks with Putin in Moscow".
    text = "ورفض الرئيس رجب طيب أردوغان المشاركة في محادثات مع فلاديمير بوتين في موسكو ."
    assert _of_type(text, "meeting") == []


def test_boycotting_talks_is_no_meeting() -> None:
    text = "Vladimir Putin boycotted the talks with Volodymyr Zelensky in Istanbul."
    assert _of_type(text, "meeting", "en") == []


def test_negotiating_weapons_procurements_is_a_deal_under_negotiation_not_a_meeting() -> None:
    # "negotiated Hezbollah missile procurements from Iran": the negotiation is the stage
    # of the purchase (arms_transfer, negotiating), not a meeting of its own.
    events = _events("Hezbollah envoys negotiated Hezbollah missile procurements from Iran.", "en")
    assert [kind for kind, _ in events] == ["arms_transfer"]
    assert events[0][1].get("supplier") == ["Iran"]
    assert events[0][1].get("recipient") == ["Hezbollah"]


def test_the_one_convicted_in_the_passive_is_the_person_not_the_court() -> None:
    # "Ahmed Mansour had been convicted before a court in Cairo".
    sentences = _of_type("وكان أحمد منصور قد أدين أمام محكمة في القاهرة .", "sentence")
    assert len(sentences) == 1
    assert sentences[0].get("person") == ["أحمد منصور"]
    assert "court" not in sentences[0]


def test_an_active_conviction_still_has_the_name_after_it_as_the_person() -> None:
    # "A court in Cairo convicted Ahmed Mansour of smuggling".
    sentences = _of_type("وأدانت محكمة في القاهرة أحمد منصور بتهمة التهريب .", "sentence")
    assert len(sentences) == 1
    assert sentences[0].get("person") == ["أحمد منصور"]
