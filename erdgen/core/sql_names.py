"""How a name is spelled in SQL text, for the readers of ``INSERT ... SELECT``, ``UPDATE``
and their filters (``lineage``, ``update_lineage``, ``row_cover``): double quotes,
backquotes or brackets (SQLite accepts all three; PostgreSQL the first), else a bare word.
"""

NAME = r'(?:"(?:[^"]|"")*"|`[^`]*`|\[[^\]]*\]|[A-Za-z_][\w$]*)'
