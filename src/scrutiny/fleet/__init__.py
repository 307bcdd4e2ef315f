"""Fleet reviews: many repositories, listed in a manifest, reviewed on this machine's cores or
on a Dask cluster, each with its own settings, into one JSON and one SARIF report each and a
summary (`scrutiny fleet MANIFEST`, docs/fleet.md).

manifest.py reads the manifest; checkout.py gets each repository's files; worker.py reviews one
repository through the public API; executors.py runs workers locally or on Dask; state.py writes
the output directory so an interrupted run resumes; summary.py tabulates; run.py ties them;
cli.py is the command. Nothing is imported here: `scrutiny --help` must not load the engine.
"""
