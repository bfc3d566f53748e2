"""The record an event shows: its reports merged (rasd.dedupe), then an analyst's edits.

Kept apart from the SQL so that the same composition serves every backend and can be
tested on its own. Edits are stored as an overlay (field -> value), never written into the
reports, so that a re-extraction that replaces the reports keeps them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from pydantic import ValidationError

from rasd.dedupe import fatality_spread, merge_reports
from rasd.dedupe.merge import spread_note
from rasd.errors import UsageError
from rasd.model import Event

# Fields whose edit leaves the generated English notes as they were.
_NOTES_NEUTRAL = frozenset({"notes", "tags", "source", "source_scale"})


def describe(event: Event) -> str:
    """English notes for a record, written by the extractor's own template ("" if it has none).

    Imported lazily: the template lives with the extraction stages, and the store must not
    load the lexicons unless it actually rewrites notes.
    """
    try:
        from rasd.stages.record import notes
    except ImportError:  # pragma: no cover - the stages always ship with rasd
        return ""
    try:
        return notes(event)
    except (KeyError, ValueError, IndexError):
        return ""


def actor_names(event: Event) -> str:
    """Every actor name of an event, case-folded, one a line: what `--actor` searches."""
    names = [event.actor1, event.actor2, *event.assoc_actor_1, *event.assoc_actor_2]
    return "\n".join(name.casefold() for name in names if name)


def search_text(event: Event) -> str:
    """What the text filter `q` searches besides article texts, case-folded."""
    parts = [
        event.notes, event.location, event.location_ar, event.admin1, event.admin2, event.country,
        event.actor1_ar, event.actor2_ar, event.source, event.sub_event_type, event.event_type,
        actor_names(event),
    ]
    return "\n".join(p for p in parts if p).casefold()


def apply_edits(merged: Event, edits: Mapping[str, Any], spread_sentence: str = "") -> Event:
    """The merged record with an analyst's edits laid over it.

    Dependent fields follow: `year` follows an edited date; the notes are written anew from
    the edited fields unless the analyst edited the notes themselves.
    """
    if not edits:
        return merged
    data = merged.to_json_dict()
    data.update(edits)
    if "event_date" in edits:
        data["year"] = date.fromisoformat(edits["event_date"]).year if edits["event_date"] else None
    event = Event.model_validate(data)
    if "notes" not in edits and set(edits) - _NOTES_NEUTRAL:
        fresh = describe(event)
        if fresh:
            event = event.model_copy(update={"notes": f"{fresh} {spread_sentence}".strip()})
    return event


def compose(members: Sequence[Event], cluster_id: str, edits: Mapping[str, Any]) -> Event:
    """The event a cluster shows: `members` (storage order) merged, edits applied."""
    merged = merge_reports(members, cluster_id, describe)
    sentence = spread_note(fatality_spread(members), "fatalities" not in edits) if len(members) > 1 else ""
    return apply_edits(merged, edits, sentence)


def validate_edits(base: Event, fields: Mapping[str, Any], editable: frozenset[str]) -> dict[str, Any]:
    """The edits as JSON values, after checking that the edited record is a valid event.

    UsageError names every unknown field or invalid value, so the API can answer 422.
    """
    unknown = sorted(set(fields) - editable)
    if unknown:
        raise UsageError(f"cannot edit {', '.join(unknown)} (editable: {', '.join(sorted(editable))})")
    data = base.to_json_dict()
    data.update(fields)
    try:
        checked = Event.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors(include_url=False)
        )
        raise UsageError(f"invalid edit: {problems}") from exc
    as_json = checked.to_json_dict()
    return {name: as_json[name] for name in fields}
