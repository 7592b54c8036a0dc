"""The engines of a bulk run: the local process pool, Dask, and the manifest that makes reruns incremental."""
