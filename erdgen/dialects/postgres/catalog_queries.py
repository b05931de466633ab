"""The catalog queries behind ``catalog.read_schema``: one query per kind of object.

Each query covers the whole database at once (a handful of round trips per schema
read, whatever its size). ``"char"`` and ``name`` values are cast to ``text``.
System schemas (``pg_catalog``, ``information_schema``, ``pg_toast``, ...) and the
objects of extensions (``pg_depend.deptype = 'e'``) are left out.
"""

from __future__ import annotations

_USER_NAMESPACE = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'"


def _not_from_extension(catalog: str, oid: str) -> str:
    return (
        f"NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '{catalog}'::regclass"
        f" AND e.objid = {oid} AND e.deptype = 'e')"
    )


def _names(numbers: str, relation: str) -> str:
    """The attribute names of an int2 array of attribute numbers, in array order."""
    return (
        f"ARRAY(SELECT a.attname::text FROM unnest({numbers}) WITH ORDINALITY k(num, pos)"
        f" JOIN pg_attribute a ON a.attrelid = {relation} AND a.attnum = k.num ORDER BY k.pos)"
    )


_QUALIFIED_PARENT = (
    "CASE WHEN pn.nspname = 'public' THEN p.relname::text ELSE pn.nspname || '.' || p.relname END"
)

RELATIONS = f"""
SELECT c.oid, n.nspname::text, c.relname::text, c.relkind::text,
  obj_description(c.oid, 'pg_class') AS description,
  CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS view_definition,
  ARRAY(SELECT {_QUALIFIED_PARENT} FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent
        JOIN pg_namespace pn ON pn.oid = p.relnamespace
        WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS inherits,
  CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partition_key,
  CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS partition_bound
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND {_USER_NAMESPACE}
  AND {_not_from_extension("pg_class", "c.oid")}
ORDER BY c.oid
"""

COLUMNS = f"""
SELECT a.attrelid AS table_oid, a.attname::text, format_type(a.atttypid, a.atttypmod) AS type,
  a.attnotnull, pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity::text,
  a.attgenerated::text, col_description(a.attrelid, a.attnum) AS description,
  CASE WHEN a.attcollation <> t.typcollation THEN co.collname::text END AS collation
FROM pg_attribute a
JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
  AND {_USER_NAMESPACE}
ORDER BY a.attrelid, a.attnum
"""

CONSTRAINTS = f"""
SELECT con.conrelid AS table_oid, con.conname::text, con.contype::text,
  pg_get_constraintdef(con.oid) AS definition, con.convalidated, con.condeferrable,
  con.condeferred, con.confupdtype::text, con.confdeltype::text, con.confmatchtype::text,
  {_names("con.conkey", "con.conrelid")} AS columns,
  {_names("con.confkey", "con.confrelid")} AS ref_columns,
  rn.nspname::text AS ref_namespace, rc.relname::text AS ref_table,
  coalesce(obj_description(con.oid, 'pg_constraint'), '') AS description
FROM pg_constraint con
JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_class rc ON rc.oid = con.confrelid
LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
WHERE {_USER_NAMESPACE}
ORDER BY con.conrelid, con.oid
"""

INDEXES = f"""
SELECT i.indrelid AS table_oid, n.nspname::text, ic.relname::text, i.indisunique,
  i.indnkeyatts AS key_count, pg_get_indexdef(i.indexrelid) AS definition,
  am.amname::text AS method, pg_get_expr(i.indpred, i.indrelid) AS predicate,
  ARRAY(SELECT CASE WHEN i.indkey[k] = 0 THEN pg_get_indexdef(i.indexrelid, k + 1, true)
                     ELSE (SELECT a.attname::text FROM pg_attribute a
                           WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[k]) END
        FROM generate_subscripts(i.indkey, 1) k ORDER BY k) AS keys,
  ARRAY(SELECT i.indkey[k] <> 0 FROM generate_subscripts(i.indkey, 1) k ORDER BY k)
    AS key_is_column,
  i.indoption::int2[] AS options,
  ARRAY(SELECT CASE WHEN oc.opcdefault THEN NULL ELSE oc.opcname::text END
        FROM generate_subscripts(i.indclass, 1) k JOIN pg_opclass oc ON oc.oid = i.indclass[k]
        ORDER BY k) AS opclasses,
  (SELECT con.contype::text FROM pg_constraint con
   WHERE con.conindid = i.indexrelid AND con.conrelid = i.indrelid
     AND con.contype IN ('p', 'u', 'x')) AS constraint_kind
FROM pg_index i
JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
JOIN pg_am am ON am.oid = ic.relam JOIN pg_class tc ON tc.oid = i.indrelid
WHERE tc.relkind IN ('r', 'p', 'm') AND {_USER_NAMESPACE}
ORDER BY i.indrelid, i.indexrelid
"""

TRIGGERS = f"""
SELECT t.tgname::text, n.nspname::text, c.relname::text, pg_get_triggerdef(t.oid) AS definition,
  CASE WHEN t.tgtype & 2 <> 0 THEN 'BEFORE' WHEN t.tgtype & 64 <> 0 THEN 'INSTEAD OF'
       ELSE 'AFTER' END AS timing,
  array_to_string(ARRAY[CASE WHEN t.tgtype & 4 <> 0 THEN 'INSERT' END,
                        CASE WHEN t.tgtype & 16 <> 0 THEN 'UPDATE' END,
                        CASE WHEN t.tgtype & 8 <> 0 THEN 'DELETE' END,
                        CASE WHEN t.tgtype & 32 <> 0 THEN 'TRUNCATE' END], ' OR ') AS events,
  CASE WHEN t.tgtype & 1 <> 0 THEN 'ROW' ELSE 'STATEMENT' END AS level,
  pn.nspname::text AS function_namespace, p.proname::text AS function_name,
  obj_description(t.oid, 'pg_trigger') AS description
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid JOIN pg_namespace pn ON pn.oid = p.pronamespace
WHERE NOT t.tgisinternal AND {_USER_NAMESPACE}
ORDER BY t.oid
"""

ENUMS = f"""
SELECT n.nspname::text, t.typname::text,
  ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid
        ORDER BY e.enumsortorder) AS labels,
  obj_description(t.oid, 'pg_type') AS description
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e' AND {_USER_NAMESPACE} AND {_not_from_extension("pg_type", "t.oid")}
ORDER BY t.oid
"""

DOMAINS = f"""
SELECT n.nspname::text, t.typname::text, format_type(t.typbasetype, t.typtypmod) AS base_type,
  t.typnotnull, pg_get_expr(t.typdefaultbin, 0) AS default,
  ARRAY(SELECT con.conname::text FROM pg_constraint con
        WHERE con.contypid = t.oid AND con.contype = 'c' ORDER BY con.conname) AS checks,
  obj_description(t.oid, 'pg_type') AS description
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'd' AND {_USER_NAMESPACE} AND {_not_from_extension("pg_type", "t.oid")}
ORDER BY t.oid
"""

_ATTRIBUTES = (
    "FROM pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped"
    " ORDER BY a.attnum"
)

COMPOSITES = f"""
SELECT n.nspname::text, t.typname::text,
  ARRAY(SELECT a.attname::text {_ATTRIBUTES}) AS names,
  ARRAY(SELECT format_type(a.atttypid, a.atttypmod) {_ATTRIBUTES}) AS types,
  obj_description(t.oid, 'pg_type') AS description
FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace JOIN pg_class c ON c.oid = t.typrelid
WHERE t.typtype = 'c' AND c.relkind = 'c' AND {_USER_NAMESPACE}
  AND {_not_from_extension("pg_type", "t.oid")}
ORDER BY t.oid
"""

SEQUENCES = f"""
SELECT n.nspname::text, c.relname::text, format_type(s.seqtypid, NULL) AS type, s.seqstart,
  s.seqincrement, d.deptype::text, tn.nspname::text AS owner_namespace,
  tc.relname::text AS owner_table, a.attname::text AS owner_column
FROM pg_sequence s
JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_depend d ON d.classid = 'pg_class'::regclass AND d.objid = c.oid
  AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND d.refobjsubid > 0
LEFT JOIN pg_class tc ON tc.oid = d.refobjid
LEFT JOIN pg_namespace tn ON tn.oid = tc.relnamespace
LEFT JOIN pg_attribute a ON a.attrelid = d.refobjid AND a.attnum = d.refobjsubid
WHERE {_USER_NAMESPACE} AND {_not_from_extension("pg_class", "c.oid")}
ORDER BY c.oid
"""

FUNCTIONS = f"""
SELECT n.nspname::text, p.proname::text, pg_get_function_identity_arguments(p.oid) AS arguments,
  CASE WHEN p.prokind <> 'p' THEN pg_get_function_result(p.oid) END AS returns,
  l.lanname::text, p.prokind::text, obj_description(p.oid, 'pg_proc') AS description
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
WHERE {_USER_NAMESPACE} AND {_not_from_extension("pg_proc", "p.oid")}
ORDER BY p.oid
"""

NAMESPACES = f"""
SELECT n.nspname::text FROM pg_namespace n
WHERE {_USER_NAMESPACE} AND n.nspname <> 'public'
  AND {_not_from_extension("pg_namespace", "n.oid")}
ORDER BY n.oid
"""

EXTENSIONS = "SELECT extname::text FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY oid"
