"""Vietnamese text analysis shared by indexing and search: normalization and tokens (`normalize`), sentence
boundaries (`sentences`), and putting diacritics back into text typed without them (`accents`)."""
