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
