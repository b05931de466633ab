-- Migration 0001: sessions table.
-- Adds server-side session management: one row per active login session of a user.

-- Sessions: active login sessions; a session ends when it expires or its user is deleted.
CREATE TABLE IF NOT EXISTS sessions (
  id TEXT PRIMARY KEY, -- session id, stored in the session cookie
  user_id TEXT NOT NULL, -- user the session belongs to
  expires_at INTEGER NOT NULL, -- expiry time (Unix timestamp in seconds)
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the session was created (UTC)
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS idx_sessions_user_id ON sessions (user_id);
