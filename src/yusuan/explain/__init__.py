"""The explanation (情况说明) and the numbers: what its sentences state
(`statements`), and its standard paragraphs generated from the tables
(`generate`)."""
