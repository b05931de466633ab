-- Migration 0006: download audit log.
-- Adds an audit table that records every lead-magnet/asset download attempt (asset_key, status, bytes).

-- Download audit: one row per download attempt of a lead magnet or other asset.
CREATE TABLE IF NOT EXISTS download_audit (
  id TEXT PRIMARY KEY, -- audit entry id (UUID string)
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the download was attempted (UTC)
  ip TEXT, -- client IP address, if known
  user_id TEXT, -- signed-in user, NULL for anonymous downloads or deleted users
  asset_key TEXT NOT NULL, -- key of the downloaded asset
  status TEXT NOT NULL, -- outcome of the download attempt
  bytes INTEGER CHECK (bytes >= 0), -- number of bytes delivered, if known
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL
);

CREATE INDEX IF NOT EXISTS idx_download_audit_created_at ON download_audit (created_at);
CREATE INDEX IF NOT EXISTS idx_download_audit_asset_key ON download_audit (asset_key);
CREATE INDEX IF NOT EXISTS idx_download_audit_status ON download_audit (status);
