"""Resolution: which records, across agencies, scripts and spellings, are one person.

- ``records``: the flat record the engine compares, built from FtM entities.
- ``compare``: feature functions, each returning a score with a readable reason.
- ``features``: the pre-normalised columns derived from records for the engine.
- ``engine``: Splink on DuckDB (default) or Spark, producing scored, explained pairs.

The store calls ``records_from_entities`` and hands the records to
``ResolutionEngine(engine).resolve(records)``; see docs/resolution.md.
"""
