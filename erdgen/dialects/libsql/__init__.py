"""libSQL (Turso's fork of SQLite) as a dialect: SQLite's reading plus libSQL's additions,
judged by the libSQL engine itself (the optional ``libsql`` package)."""
