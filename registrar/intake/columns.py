"""The columns intake accepts, with the help text shown by `--help` and the README."""

CRIME_COLUMNS = {
    "reference": "the force's crime reference (unique)",
    "offence_code": "Home Office offence code, e.g. 8N",
    "recorded_at": "when the crime was recorded (ISO date or time, UTC)",
    "occurred_at": "when it happened (optional)",
    "area": "local policing area (optional)",
    "oic": "officer in charge: their account name (optional)",
    "domestic_abuse": "flag: 1/0, yes/no, true/false (optional)",
    "hate_crime": "flag (optional)",
    "vulnerable_victim": "flag (optional)",
    "summary": "short case summary (optional)",
}
CRIME_REQUIRED = {"reference", "offence_code", "recorded_at"}

REQUEST_COLUMNS = {
    "kind": "cancellation, reclassification, transfer_out, transfer_in or referral",
    "external_id": "the request's id in the source system; a second import of it is refused (optional)",
    "crime_reference": "the crime (cancellation, reclassification, transfer_out)",
    "requested_by": "who raised it (default: you)",
    "requested_at": "when it was raised (default: now)",
    "summary": "what the request says",
    "cancellation_code": "cancellation: the ground claimed, C2-C5",
    "avi_description": "cancellation C2/C5: what the additional verifiable information is",
    "avi_type": "cancellation C2/C5: the kind of AVI: recording, forensic, witness, document, retraction or other",
    "avi_source": "cancellation: where the AVI came from",
    "avi_obtained_at": "cancellation: when the AVI was obtained",
    "surviving_reference": "cancellation C3: the crime this one duplicates",
    "error_description": "cancellation C4: what the error was",
    "proposed_code": "reclassification: the proposed offence code",
    "new_information": "reclassification: the new information",
    "other_force": "transfers: the other force's code (see `registrar reference forces`)",
    "other_reference": "transfer_in: the sending force's crime reference",
    "offence_code": "transfer_in: the offence code to record here",
    "area": "transfer_in, referral: local policing area",
    "agency": "referral: the referring agency's code",
    "received_at": "referral: when the police received it (starts the 24 h clock; default requested_at)",
    "subject": "referral: child, adult at risk, adult or other",
    "suggested_code": "referral: the offence the desk thinks is disclosed (optional)",
}
REQUEST_REQUIRED = {"kind"}

INCIDENT_COLUMNS = {
    "number": "the incident's number in the command-and-control system (unique)",
    "opened_at": "when the incident was reported (ISO date or time, UTC; or --date-format)",
    "closed_at": "when it was closed (optional)",
    "opening_code": "the call-taker's opening code, e.g. VIOLENCE, CONCERN, RAPE",
    "closing_code": "the closing code (optional)",
    "area": "local policing area (optional)",
    "crime_references": "the crimes recorded from it, separated by spaces or semicolons (optional)",
    "crime_recorded": "flag: a crime was recorded (default: yes when crime_references is given)",
    "domestic_abuse": "flag (optional)",
    "child_at_risk": "flag (optional)",
    "adult_at_risk": "flag (optional)",
    "hate_crime": "flag (optional)",
    "rape_report": "flag: a report of rape (also set by an opening code in the recording_audit rape_codes)",
    "summary": "what was reported (optional)",
}
INCIDENT_REQUIRED = {"number", "opened_at", "opening_code"}
