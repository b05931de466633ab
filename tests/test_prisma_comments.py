"""What Prisma Migrate writes into a migration.sql ("-- CreateTable" above each step, a
"Warnings:" block above a destructive one) is the tool's, not a description: neither a
table's nor a migration's (pingvin-share's tables were all described "CreateTable")."""

from __future__ import annotations

from pathlib import Path

from erdgen.core.history import load_history

INIT = """-- CreateTable
CREATE TABLE "User" (
    "id" TEXT NOT NULL PRIMARY KEY
);

-- the things users share
-- CreateTable
CREATE TABLE "Share" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "creatorId" TEXT,
    CONSTRAINT "Share_creatorId_fkey" FOREIGN KEY ("creatorId") REFERENCES "User" ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Share_id_key" ON "Share"("id");
"""

SECOND = """/*
  Warnings:

  - You are about to drop the column `creatorId` on the `Share` table. All the data in the
    column will be lost.

*/
-- RedefineTables
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Share" ("id" TEXT NOT NULL PRIMARY KEY);
INSERT INTO "new_Share" ("id") SELECT "id" FROM "Share";
DROP TABLE "Share";
ALTER TABLE "new_Share" RENAME TO "Share";
PRAGMA foreign_keys=ON;
"""


def test_prismas_generated_comments_describe_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "prisma" / "migrations"
    for name, text in (("20220101000000_init", INIT), ("20220102000000_drop", SECOND)):
        (folder / name).mkdir(parents=True)
        (folder / name / "migration.sql").write_text(text, encoding="utf-8")
    (folder / "migration_lock.toml").write_text('provider = "sqlite"\n', encoding="utf-8")
    history = load_history(folder, tmp_path)
    assert [m.description for m in history.migrations] == ["", ""]
    first = history.steps[0].schema
    described = {t.name: t.description for t in first.tables}
    assert described == {"User": "", "Share": "the things users share"}
