"""Stage 5: what a run produces: record files, JSONL/CSV/Parquet exports, databases, the review report and diffs."""
