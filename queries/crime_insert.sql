INSERT INTO crimes (
    reference, offence_code, state, recorded_at, occurred_at, area, oic,
    domestic_abuse, hate_crime, vulnerable_victim, summary, source,
    transferred_force, transferred_reference
) VALUES (
    :reference, :offence_code, 'recorded', :recorded_at, :occurred_at, :area, :oic,
    :domestic_abuse, :hate_crime, :vulnerable_victim, :summary, :source,
    :transferred_force, :transferred_reference
)
