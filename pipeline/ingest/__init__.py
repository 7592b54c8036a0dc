"""Stage 1: find the pages of a run and read them into text (files, folders, WARC/WACZ archives)."""
