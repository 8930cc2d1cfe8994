INSERT INTO requests (
    kind, state, crime_id, requested_by, requested_at, due_at, summary, external_id,
    cancellation_code, avi_description, avi_source, avi_obtained_at, surviving_reference, error_description,
    proposed_code, new_information, other_force, other_reference, offence_code, area,
    agency, received_at, subject, suggested_code
) VALUES (
    :kind, :state, :crime_id, :requested_by, :requested_at, :due_at, :summary, :external_id,
    :cancellation_code, :avi_description, :avi_source, :avi_obtained_at, :surviving_reference, :error_description,
    :proposed_code, :new_information, :other_force, :other_reference, :offence_code, :area,
    :agency, :received_at, :subject, :suggested_code
)
