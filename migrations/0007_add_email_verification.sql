-- Migration 0007: e-mail verification.
-- Adds email_verified/email_verified_at to users and a table of verification tokens,
-- and marks all existing users as verified so that they keep access.

-- email_verified: 1 once the user's e-mail address is verified, else 0
ALTER TABLE users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0;
-- email_verified_at: when the address was verified (Unix timestamp in seconds)
ALTER TABLE users ADD COLUMN email_verified_at INTEGER;

-- E-mail verification tokens: one-time tokens sent to confirm an e-mail address.
CREATE TABLE IF NOT EXISTS email_verification_tokens (
  token TEXT PRIMARY KEY, -- the verification token itself
  user_id TEXT NOT NULL, -- user who requested the verification
  email TEXT NOT NULL, -- e-mail address being verified
  created_at INTEGER NOT NULL, -- when the token was issued (Unix timestamp in seconds)
  expires_at INTEGER NOT NULL, -- expiry time (Unix timestamp in seconds)
  used_at INTEGER, -- when the token was used (Unix timestamp in seconds); NULL while unused
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS idx_email_verification_tokens_user_id ON email_verification_tokens (user_id);
CREATE INDEX IF NOT EXISTS idx_email_verification_tokens_email ON email_verification_tokens (email);
CREATE INDEX IF NOT EXISTS idx_email_verification_tokens_expires_at ON email_verification_tokens (expires_at);

-- Backfill: users that existed before e-mail verification count as verified, as of this migration.
UPDATE users
SET email_verified = 1,
    email_verified_at = CAST(strftime('%s', 'now') AS INTEGER)
WHERE email_verified = 0;
