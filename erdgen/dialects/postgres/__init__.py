"""PostgreSQL: statement splitting, the catalog read back from a live server, the DDL reader."""
