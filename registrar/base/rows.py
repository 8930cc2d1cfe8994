"""Typed rows the write path passes around, so a misspelt key is a type error rather than a None at run time."""

from typing import TypedDict


class RequestRow(TypedDict):
    """A request with its crime's facts, as `request_for_decision` reads it for the rules."""

    id: int
    kind: str
    state: str
    version: int
    crime_id: int | None
    requested_by: str
    requested_at: str
    due_at: str
    closed_at: str | None
    referred_to: str | None
    summary: str
    external_id: str | None
    cancellation_code: str | None
    avi_description: str | None
    avi_source: str | None
    avi_obtained_at: str | None
    avi_type: str | None
    avi_shows: str | None
    surviving_reference: str | None
    error_description: str | None
    proposed_code: str | None
    new_information: str | None
    other_force: str | None
    other_reference: str | None
    dispute_reason: str | None
    offence_code: str | None
    area: str | None
    agency: str | None
    received_at: str | None
    subject: str | None
    suggested_code: str | None
    cri_reason: str | None
    crime_reference: str | None
    crime_offence_code: str | None
    crime_state: str | None
    crime_oic: str | None
    crime_domestic_abuse: int | None
    crime_hate_crime: int | None
    crime_vulnerable_victim: int | None
    raised_by: str | None
