"""Bulk runs: discovery, the per-page task, the local pool and Dask engines, progress, and the manifest that makes reruns incremental."""
