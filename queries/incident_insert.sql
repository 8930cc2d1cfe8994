INSERT INTO incidents (
    number, opened_at, closed_at, opening_code, closing_code, area, crime_recorded,
    domestic_abuse, child_at_risk, adult_at_risk, hate_crime, rape_report, summary
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
