"""One event per real-world occurrence: fold the sentence-level drafts of a document.

Two drafts describe the same occurrence when they have the same type, share an actor,
do not contradict each other (two different suppliers, or recipients, of an arms deal;
two different years), and so are merged: roles united, the most precise time, the most
advanced status, and every sentence kept as evidence.

Which attribution does the merged event carry? If the outlet states the occurrence in
its own voice anywhere in the body (not the headline), the outlet asserts it. Otherwise
the deepest chain wins: it names the origin of the claim ("WSJ, citing a European
security source") where other sentences only repeat the medium's name.
"""

from __future__ import annotations

from raqib.extract.events import NON_ACTOR_ROLES, EventDraft
from raqib.extract.rules import load_rules
from raqib.model import Attribution, Event, Source, Span, ValueSpan

# Words in a passive trigger that place a designation before the one a document
# announces ("X was previously designated").
STATUS_STAGE = {"proposed": 1, "negotiating": 2, "agreed": 3, "delivered": 4,
                "intercepted": 5, "cancelled": 6, "planned": 1, "occurred": 2}
EXCLUSIVE_ROLES = {"arms_transfer": ("supplier", "recipient"), "seizure": ("seizer",),
                   "sanction": ("target",), "arrest": ("person",), "sentence": ("person",),
                   "release": ("person",), "extradition": ("person",)}


def compatible(group: list[EventDraft], draft: EventDraft) -> bool:
    head = group[0]
    if head.type != draft.type:
        return False
    roles = _union_roles(group)
    shared = _actors(roles) & draft.actor_ids()
    if not shared:
        return False
    for role in EXCLUSIVE_ROLES.get(draft.type, ()):
        mine = {v for v in roles.get(role, []) if isinstance(v, str)}
        theirs = {v for v in draft.roles.get(role, []) if isinstance(v, str)}
        if mine and theirs and not mine & theirs:
            return False
    times = [d.time.value for d in group if d.time and d.time.value]
    if draft.time and draft.time.value:
        for value in times:
            common = min(len(value), len(draft.time.value))
            if value[:common] != draft.time.value[:common]:
                return False
    return True


def _latest_day(drafts: list[EventDraft]) -> str | None:
    """The day of the action a document announces: its publication day, else the latest
    full date of a designation in it ("Today, OFAC designated ...")."""
    published = next((d.published[:10] for d in drafts if d.published), None)
    if published and len(published) == 10:
        return published
    days = [d.time.value for d in drafts if d.type == "sanction" and d.time and
            d.time.value and len(d.time.value) == 10]
    return max(days) if days else None


def _is_current(draft: EventDraft, today: str | None) -> bool:
    """Part of the designation the document announces: dated on the day of that action,
    or an undated passive in the main clause ("X is being designated pursuant to ...",
    not "X was previously designated", nor "Y, who is sanctioned under ...")."""
    if draft.type != "sanction":
        return False
    if draft.time is not None and draft.time.value:
        return draft.time.value == today
    if draft.trigger_entry.voice != "passive" or draft.relative_clause:
        return False
    words = draft.trigger.form.words if draft.trigger.form is not None else ()
    markers = load_rules().earlier_markers
    return not any(w in words for table in markers.values() for w in table)


def _authorities(drafts: list[EventDraft]) -> set[str]:
    return {v for d in drafts for v in d.roles.get("authority", []) if isinstance(v, str)}


def _same_action(group: list[EventDraft], draft: EventDraft, today: str | None) -> bool:
    """One announced designation, its targets listed sentence by sentence (see
    `_is_current`); an undated "OFAC is also designating Y" by the same authority belongs
    to it too. A second authority acting the same day ("the State Department is
    concurrently designating ...") makes an event of its own."""
    if draft.type != "sanction" or not any(_is_current(d, today) for d in group):
        return False
    mine, theirs = _authorities(group), _authorities([draft])
    if mine and theirs and not mine & theirs:
        return False
    if _is_current(draft, today):
        return True
    undated = draft.time is None or not draft.time.value
    return undated and bool(theirs) and not draft.relative_clause


def _fold_announced(groups: list[list[EventDraft]], today: str | None,
                    ) -> list[list[EventDraft]]:
    """"OFAC is also designating ..." may come before the first "X is being designated":
    groups made only of such drafts join the announced action once it is known."""
    anchor = next((g for g in groups if any(_is_current(d, today) for d in g)), None)
    if anchor is None:
        return groups
    folded = [g for g in groups if g is not anchor and
              all(_same_action(anchor, d, today) for d in g)]
    if not folded:
        return groups
    members = [anchor, *folded]
    merged = sorted((d for g in members for d in g), key=lambda d: d.trigger.first)
    result: list[list[EventDraft]] = []
    for group in groups:
        if any(group is g for g in members):
            if not any(r is merged for r in result):
                result.append(merged)
        else:
            result.append(group)
    return result


def group_drafts(drafts: list[EventDraft]) -> list[list[EventDraft]]:
    """Group drafts into occurrences. A headline restates what the body reports, so its
    drafts are only used for an occurrence the body does not mention."""
    groups: list[list[EventDraft]] = []
    body = [d for d in drafts if not d.sentence.is_title]
    titles = [d for d in drafts if d.sentence.is_title]
    today = _latest_day(body)
    for draft in body:
        for group in groups:
            if compatible(group, draft) or _same_action(group, draft, today):
                group.append(draft)
                break
        else:
            if not draft.anaphoric:  # "This arrest ...": only adds to what came before
                groups.append([draft])
    groups = _fold_announced(groups, today)
    announced = any(_is_current(d, today) for group in groups for d in group)
    for draft in titles:
        if draft.type == "sanction" and announced:
            continue  # "Treasury Sanctions X": the headline of the action the body reports
        if not any(compatible(group, draft) for group in groups):
            groups.insert(0, [draft])
    return groups


def build_event(event_id: str, group: list[EventDraft], outlet: Source, text: str,
                general_weapons: dict[str, frozenset[str]] | None = None) -> Event:
    body = [d for d in group if not d.sentence.is_title] or group
    first = body[0]
    roles = _drop_general_weapons(_union_roles(group), general_weapons or {})
    timed = sorted((d for d in group if d.time), key=lambda d: -d.time_precision)
    statuses = [d.status for d in group if d.status]
    status = max(statuses, key=lambda s: STATUS_STAGE.get(s, 0)) if statuses else None
    found_by: list[str] = []
    for draft in group:
        found_by += [f for f in draft.found_by if f not in found_by]
    evidence: list[Span] = []
    for draft in group:
        span = draft.sentence.span
        if all(e.start != span.start for e in evidence):
            evidence.append(span)
    return Event(
        id=event_id, type=first.type, status=status,
        trigger=trigger_span(first, text),
        sentence=first.sentence.span, roles=roles,
        time=timed[0].time if timed else None,
        attribution=merged_attribution(group, outlet),
        evidence=evidence if len(evidence) > 1 else [], found_by=found_by,
    )


def trigger_span(draft: EventDraft, text: str) -> Span:
    """The trigger as written, without a leading conjunction or preposition clitic:
    "وألقي القبض" -> "ألقي القبض", "لبيع" -> "بيع" (the article stays: "للتفاوض")."""
    start, end = draft.trigger.start, draft.trigger.end
    stripped = draft.trigger.stripped[0] if draft.trigger.stripped else ""
    prefixes = stripped.split("-")[0].split("+") if stripped else []
    for prefix in prefixes:
        if prefix in ("و", "ف", "ب", "ل", "ك") and text[start:start + 1] == prefix \
                and "ال" not in prefixes:
            start += 1
        else:
            break
    return Span(text[start:end], start, end)


def merged_attribution(group: list[EventDraft], outlet: Source) -> Attribution:
    """A party's denial is a statement about the event (linked by `denies`); the event
    itself keeps the attribution of those who report it, unless denials are all there is."""
    body = [d for d in group if not d.sentence.is_title] or group
    claims = [d for d in body if d.attribution.stance != "denied"] or body
    if any(not d.attribution.chain and d.attribution.stance == "asserted" for d in claims):
        return Attribution("asserted", [outlet])
    deepest = max(claims, key=lambda d: len(d.attribution.chain))
    return Attribution(deepest.attribution.stance, [outlet, *deepest.attribution.chain])


def _union_roles(group: list[EventDraft]) -> dict[str, list[str | ValueSpan]]:
    roles: dict[str, list[str | ValueSpan]] = {}
    for draft in group:
        for role, values in draft.roles.items():
            bucket = roles.setdefault(role, [])
            for value in values:
                if isinstance(value, str):
                    if value not in bucket:
                        bucket.append(value)
                elif not any(isinstance(v, ValueSpan) and v.value == value.value for v in bucket):
                    bucket.append(value)
    return roles


def _actors(roles: dict[str, list[str | ValueSpan]]) -> set[str]:
    return {v for role, values in roles.items() if role not in NON_ACTOR_ROLES
            for v in values if isinstance(v, str)}


def _drop_general_weapons(roles: dict[str, list[str | ValueSpan]],
                          covered: dict[str, frozenset[str]]) -> dict[str, list[str | ValueSpan]]:
    """"weapons" adds nothing next to "missiles", nor "drones" next to "Shahed-136":
    a general category is dropped when a more specific weapon in the event falls under
    it (`covered` maps each entity to the general categories it falls under)."""
    weapons = roles.get("weapon")
    if weapons:
        under = {g for v in weapons if isinstance(v, str) for g in covered.get(v, ())}
        roles["weapon"] = [v for v in weapons if v not in under]
    return roles
