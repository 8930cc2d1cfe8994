UPDATE requests
SET cancellation_code = coalesce(:ground, cancellation_code),
    avi_description = coalesce(:avi_description, avi_description),
    avi_source = coalesce(:avi_source, avi_source),
    avi_obtained_at = coalesce(:avi_obtained_at, avi_obtained_at),
    surviving_reference = coalesce(:surviving_reference, surviving_reference),
    error_description = coalesce(:error_description, error_description),
    proposed_code = coalesce(:proposed_code, proposed_code),
    other_force = coalesce(:force, other_force),
    other_reference = coalesce(:other_reference, other_reference),
    dispute_reason = coalesce(:dispute_reason, dispute_reason),
    offence_code = coalesce(:offence_code, offence_code),
    cri_reason = coalesce(:cri_reason, cri_reason),
    crime_id = coalesce(:crime_id, crime_id)
WHERE id = :id
