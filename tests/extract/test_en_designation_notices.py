"""English designation notices (sanctions press releases) on hand-written sentences.

Each test states what an analyst would annotate per ../shared/corpus/ANNOTATION.md: the
designating body is the authority, the designees the targets; boilerplate about blocked
property, evasion or exposure to sanctions is no event; a country in an "X-based"
description is no party; names given with a bracketed short form are entities.
"""

from __future__ import annotations

from raqib.model import Document, Extraction
from raqib.pipeline import extract

PUBLISHED = "2025-06-12"


def run(text: str) -> Extraction:
    document = Document.from_text(text, source="test", language="en", published=PUBLISHED)
    result = extract(document)
    for event in result.to_dict()["events"]:
        for span in (event["trigger"], event["sentence"]):
            assert text[span["start"]:span["end"]] == span["text"]
    return result


def events_of(result: Extraction, event_type: str) -> list[dict[str, list[str]]]:
    """Each event of the type as role -> entity names (value spans as their text)."""
    by_id = {e.id: e.name for e in result.entities}
    return [{role: sorted(by_id.get(v, v) if isinstance(v, str) else v.text for v in values)
             for role, values in event.roles.items()}
            for event in result.events if event.type == event_type]


def entity_types(result: Extraction) -> dict[str, str]:
    return {e.name: e.type for e in result.entities}


def test_passive_designation_makes_the_subject_the_target() -> None:
    # "X is being designated": X is designated; nobody in the sentence designates.
    result = run("Northwind Trading LLC is being designated pursuant to E.O. 13224 today.")
    assert events_of(result, "sanction") == [{"target": ["Northwind Trading LLC"]}]


def test_a_listed_subject_of_a_passive_designation_is_a_target_each() -> None:
    result = run("Crescent Marine LLC, Harbor Line Shipping Company and Northwind Trading LLC "
                 "are being designated pursuant to E.O. 13224 today.")
    [event] = events_of(result, "sanction")
    assert event == {"target": ["Crescent Marine LLC", "Harbor Line Shipping Company",
                                "Northwind Trading LLC"]}


def test_the_designating_office_is_the_authority_not_a_target() -> None:
    # The Treasury's office is written out in full before the verb; the person and the
    # company after it are the targets. Russia only locates the broker.
    result = run("Today, the U.S. Department of the Treasury's Office of Foreign Assets "
                 "Control (OFAC) designated Pavel Ivanovich Sorokin (Sorokin), a Russia-based "
                 "arms broker, and Baltic Star Logistics SDN BHD (Baltic Star Logistics).")
    [event] = events_of(result, "sanction")
    assert event["authority"] == ["Office of Foreign Assets Control"]
    assert event["target"] == ["Baltic Star Logistics SDN BHD", "Pavel Ivanovich Sorokin"]


def test_a_designated_company_is_never_the_authority() -> None:
    # Two companies and "designated": the nearest name before an active verb would be the
    # doer, but a trading company cannot impose sanctions.
    result = run("According to the notice, Northwind Trading LLC designated Crescent Marine LLC "
                 "as its agent in June.")
    assert all("authority" not in e for e in events_of(result, "sanction"))


def test_the_reason_clause_names_no_further_target() -> None:
    # "for providing support to Hizballah": Hizballah is why, not whom, OFAC designates.
    result = run("OFAC designated Northwind Trading LLC pursuant to E.O. 13224 today for "
                 "providing material support to Hizballah.")
    [event] = events_of(result, "sanction")
    assert event == {"authority": ["Office of Foreign Assets Control"],
                     "target": ["Northwind Trading LLC"]}


def test_the_announced_designation_is_one_event_and_an_earlier_one_another() -> None:
    text = ("Today, OFAC sanctioned two companies that shipped drones to the Houthis. "
            "Crescent Marine LLC is being designated pursuant to E.O. 13224 for owning a "
            "vessel. Northwind Trading LLC is being designated pursuant to E.O. 13224 for "
            "operating it. OFAC designated Harbor Line Shipping Company on March 3, 2019.")
    result = run(text)
    sanctions = events_of(result, "sanction")
    assert {"authority": ["Office of Foreign Assets Control"],
            "target": ["Crescent Marine LLC", "Northwind Trading LLC"]} in sanctions
    assert {"authority": ["Office of Foreign Assets Control"],
            "target": ["Harbor Line Shipping Company"]} in sanctions
    assert len(sanctions) == 2
    today = next(e for e in result.events if e.type == "sanction" and len(e.roles["target"]) == 2)
    assert today.time is not None and today.time.value == PUBLISHED


def test_sanctions_boilerplate_reports_no_designation() -> None:
    text = ("As a result of today's action, all property and interests in property of the "
            "designated persons that are in the United States or in the possession or control "
            "of U.S. persons are blocked and must be reported to OFAC. Persons that engage in "
            "certain transactions with the individuals designated today may themselves be "
            "exposed to designation. Violations of U.S. sanctions may result in civil "
            "penalties imposed by OFAC. Non-U.S. persons may not cause U.S. persons to violate "
            "U.S. sanctions or evade U.S. sanctions.")
    assert events_of(run(text), "sanction") == []


def test_designated_as_an_adjective_is_no_new_designation() -> None:
    text = ("The broker moved funds to U.S.-designated Red Crescent Exchange and worked for "
            "the previously sanctioned Northwind Trading LLC on behalf of sanctioned "
            "Hizballah.")
    assert events_of(run(text), "sanction") == []


def test_a_convicted_smuggler_is_no_sentencing_but_a_conviction_is() -> None:
    assert events_of(run("The convicted arms dealer Viktor Bout returned to Moscow."),
                     "sentence") == []
    assert events_of(run("Viktor Bout, a convicted arms dealer, returned to Moscow."),
                     "sentence") == []
    assert events_of(run("A federal court convicted Viktor Bout in 2011."),
                     "sentence") == [{"person": ["Viktor Bout"]}]


def test_bracketed_short_forms_mark_persons_and_companies() -> None:
    result = run("Treasury also named Hasan Ahmad Hasan Muhammad al-Qarani (Hasan al-Qarani) "
                 "and Mirko Petrovic (Petrovic), as well as Baltic Star Logistics SDN BHD "
                 "(Baltic Star Logistics) and Limited Liability Company Vega (Vega). Under "
                 "the Executive Order (E.O.) the Office acts.")
    types = entity_types(result)
    assert types["Hasan Ahmad Hasan Muhammad al-Qarani"] == "person"
    assert types["Mirko Petrovic"] == "person"
    assert types["Baltic Star Logistics SDN BHD"] == "organization"
    assert types["Limited Liability Company Vega"] == "organization"
    assert "Executive Order" not in types  # "(E.O.)" shortens no name of a party


def test_a_country_in_a_based_description_is_not_the_supplier() -> None:
    # "Iran-based" says where the broker lives, not that Iran supplied the drones.
    result = run("Iran-based Hasan Karimi (Karimi) procured drones for the Houthis.")
    [event] = events_of(result, "arms_transfer")
    assert "Iran" not in event.get("supplier", []) + event.get("recipient", []) + \
        event.get("broker", [])


def test_a_past_procurement_is_a_delivered_transfer() -> None:
    result = run("Mirko Petrovic (Petrovic) procured drones and rockets for the Houthis.")
    [transfer] = [e for e in result.events if e.type == "arms_transfer"]
    assert transfer.status == "delivered"
    assert events_of(result, "arms_transfer")[0]["recipient"] == ["Houthis"]


def test_a_relative_clause_on_someones_standing_is_no_event() -> None:
    # "who is sanctioned under ...": a description of Soleimani's standing, no event;
    # "which was designated in 2011" still reports an earlier designation.
    result = run("The airline flew Qassem Soleimani, who is sanctioned under a UN resolution. "
                 "It also served the IRGC, which was designated pursuant to E.O. 13553 in 2011.")
    assert events_of(result, "sanction") == [{"target": ["Islamic Revolutionary Guard Corps"]}]


def test_another_days_designation_by_another_body_stays_apart() -> None:
    # The State Department acted yesterday; today's targets belong to OFAC's action.
    text = ("Today, OFAC is taking action against two Houthi procurement agents. "
            "Yesterday, the Department of State announced the designation of the Houthis. "
            "Mirko Petrovic (Petrovic) is being designated pursuant to E.O. 13224. "
            "Karel Novak (Novak) is being designated pursuant to E.O. 13224. "
            "OFAC is also designating Crescent Marine LLC.")
    sanctions = events_of(run(text), "sanction")
    assert {"target": ["Houthis"]} in sanctions
    assert {"authority": ["Office of Foreign Assets Control"],
            "target": ["Crescent Marine LLC", "Karel Novak", "Mirko Petrovic"]} in sanctions
    assert len(sanctions) == 2


def test_an_undated_also_designating_before_the_list_joins_the_announced_action() -> None:
    text = ("OFAC is also designating one operative and his company. "
            "Crescent Marine LLC is being designated pursuant to E.O. 13224.")
    assert events_of(run(text), "sanction") == [
        {"authority": ["Office of Foreign Assets Control"], "target": ["Crescent Marine LLC"]}]


def test_a_designation_noun_takes_its_target_after_of_only() -> None:
    # The apposition after "the designation of the leader of the RSF" is the target;
    # the government after "Today's designations highlight" is not.
    result = run("This action follows the designation of the leader of the group, "
                 "Viktor Bout, on January 7, 2025. Today's designations highlight the "
                 "United States' resolve.")
    assert events_of(result, "sanction") == [{"target": ["Viktor Bout"]}]


def test_the_dateline_and_the_designator_are_no_parties_to_a_deal() -> None:
    # "WASHINGTON —" is where the release was filed; OFAC designates the brokers, it does
    # not broker the weapons itself.
    result = run("WASHINGTON — Today, OFAC designated Crescent Marine LLC, which has "
                 "facilitated weapons shipments for the Houthis.")
    for event in events_of(result, "arms_transfer"):
        actors = [v for role, values in event.items() if role != "weapon" for v in values]
        assert "United States" not in actors
        assert "Office of Foreign Assets Control" not in actors


def test_a_state_service_named_by_its_demonym_acts_for_the_state() -> None:
    # "Spanish police arrested ...": Spain is the arresting agent even after a dateline;
    # "Iranian military equipment" stays a weapon's origin, not an actor.
    result = run("MADRID — Spanish police on Tuesday arrested Viktor Bout.")
    assert events_of(result, "arrest") == [{"agent": ["Spain"], "person": ["Viktor Bout"]}]
    transfer = events_of(run("Viktor Bout sold Iranian military equipment to the Houthis."),
                         "arms_transfer")
    assert transfer and "Iran" not in transfer[0].get("supplier", [])


def test_a_quote_said_by_a_treasury_official_has_its_speaker() -> None:
    # The long office title stands before the name; the speaker is the person.
    text = ("“We will keep exposing these smuggling networks,” said Under Secretary of the "
            "Treasury for Terrorism and Financial Intelligence Dana K. Whitfield. "
            "“They fund the war,” said Secretary of the Treasury Paul Okafor.")
    result = run(text)
    by_id = {e.id: e.name for e in result.entities}
    speakers = [(by_id.get(s.speaker), s.quote) for s in result.statements]
    assert ("Dana K. Whitfield", True) in speakers
    assert ("Paul Okafor", True) in speakers



def test_a_demonym_before_a_procurement_names_the_buyer() -> None:
    # "Houthi weapons procurement" is procurement for the Houthis, not Houthi-made arms;
    # the financier of that procurement is its broker.
    result = run("Mirko Petrovic (Petrovic) became a key financier of Houthi weapons "
                 "procurement in 2023.")
    [event] = events_of(result, "arms_transfer")
    assert event["recipient"] == ["Houthis"]
    assert event["broker"] == ["Mirko Petrovic"]
    assert "origin" not in event


def test_companies_with_a_leading_legal_form_and_first_name_short_forms() -> None:
    # "LLC Sky Vega" (the legal form first, as Russian registries write it) is a company;
    # "Mohamed Ali Al-Qadri (Mohamed Ali)" a person known by his first names.
    result = run("He runs two Russia-based companies: LLC Sky Vega and OOO Polar Line. "
                 "Mohamed Ali Al-Qadri (Mohamed Ali) is a senior operative.")
    types = entity_types(result)
    assert types["LLC Sky Vega"] == "organization"
    assert types["OOO Polar Line"] == "organization"
    assert types["Mohamed Ali Al-Qadri"] == "person"
