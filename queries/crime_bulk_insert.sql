INSERT INTO crimes (
    reference, offence_code, recorded_at, occurred_at, area, oic,
    domestic_abuse, hate_crime, vulnerable_victim, summary, source
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
