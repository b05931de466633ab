// What @dbml/core (the reference parser of dbdiagram.io and dbdocs, the one dbml2sql runs)
// reads from DBML: enums, tables, columns, indexes, checks and refs, as JSON.
//   node dbml_report.js FILE.dbml   one report on stdout; a parse error exits 1 (stderr)
//   node dbml_report.js --lines     one JSON string of DBML per stdin line -> one JSON
//                                   report per stdout line ({"errors": [...]} when it fails)
// (--lines keeps one node process for many inputs: starting node with the parser takes ~3 s)
"use strict";
const fs = require("fs");
const { Parser } = require("@dbml/core");

function column(field) {
  return {
    name: field.name,
    type: qualified(field.type.schemaName, field.type.type_name),
    pk: Boolean(field.pk),
    not_null: Boolean(field.not_null),
    unique: Boolean(field.unique),
    increment: Boolean(field.increment),
    default: field.dbdefault ? { type: field.dbdefault.type, value: field.dbdefault.value } : null,
    note: field.note || "",
  };
}

function index(idx) {
  return {
    name: idx.name || "",
    unique: Boolean(idx.unique),
    pk: Boolean(idx.pk),
    columns: idx.columns.map((c) => ({ type: c.type, value: c.value })),
    note: idx.note || "",
  };
}

// The model's name of a table: "ns.table" outside DBML's default schema "public".
function qualified(schemaName, tableName) {
  return schemaName && schemaName !== "public" ? `${schemaName}.${tableName}` : tableName;
}

function ref(r) {
  return {
    name: r.name || "",
    endpoints: r.endpoints.map((e) => ({
      table: qualified(e.schemaName, e.tableName),
      fields: e.fieldNames,
      relation: e.relation,
    })),
    on_delete: r.onDelete || "",
    on_update: r.onUpdate || "",
  };
}

function report(text) {
  let database;
  try {
    database = new Parser().parse(text, "dbmlv2");
  } catch (error) {
    const diags = error.diags || [error];
    return {
      errors: diags.map((d) => {
        const where = d.location ? `${d.location.start.line}:${d.location.start.column}: ` : "";
        return `${where}${d.message}`;
      }),
    };
  }
  const tables = [];
  const refs = [];
  const enums = [];
  for (const schema of database.schemas) {
    for (const e of schema.enums) {
      enums.push({ name: qualified(schema.name, e.name), values: e.values.map((v) => v.name) });
    }
    for (const t of schema.tables) {
      tables.push({
        name: qualified(schema.name, t.name),
        note: t.note || "",
        columns: t.fields.map(column),
        indexes: t.indexes.map(index),
        checks: (t.checks || []).map((c) => ({ expression: c.expression, name: c.name || "" })),
      });
    }
    refs.push(...schema.refs.map(ref));
  }
  return {
    errors: [],
    project: database.name || "",
    database_type: database.databaseType || "",
    enums,
    tables,
    refs,
  };
}

if (process.argv[2] === "--lines") {
  const lines = require("readline").createInterface({ input: process.stdin });
  lines.on("line", (line) => process.stdout.write(JSON.stringify(report(JSON.parse(line))) + "\n"));
} else {
  const result = report(fs.readFileSync(process.argv[2], "utf8"));
  if (result.errors.length) {
    process.stderr.write(result.errors.join("\n") + "\n");
    process.exit(1);
  }
  process.stdout.write(JSON.stringify(result, null, 1) + "\n");
}
