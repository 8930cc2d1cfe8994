"""Files in: CSV and JSON Lines read all or nothing, their columns, every field's one parser, crime and request imports."""
