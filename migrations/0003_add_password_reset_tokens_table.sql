-- Migration 0003: password reset tokens.
-- Adds a table of one-time tokens for resetting a forgotten password (dropped again in 0010).

-- Password reset tokens: one-time tokens sent by e-mail to reset a password.
CREATE TABLE IF NOT EXISTS password_reset_tokens (
  id TEXT PRIMARY KEY, -- the reset token itself
  user_id TEXT NOT NULL, -- user whose password may be reset
  expires_at INTEGER NOT NULL, -- expiry time (Unix timestamp in seconds)
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the token was issued (UTC)
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS idx_password_reset_tokens_user_id ON password_reset_tokens (user_id);
