-- Migration 0010: drop password artifacts.
-- DESTRUCTIVE: drops the table password_reset_tokens and the column users.password_hash, with their data.
-- Password login was removed from Evolution Hub, so stored password hashes and reset tokens are no longer
-- used and are not kept. This cannot be undone without a backup.

DROP TABLE password_reset_tokens;

ALTER TABLE users DROP COLUMN password_hash;
