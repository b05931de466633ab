-- Migration 0005: notifications table.
-- Adds in-app notifications for users, with a partial index for the unread ones.

-- Notifications: messages shown to a user in the app, read or unread.
CREATE TABLE IF NOT EXISTS notifications (
  id TEXT PRIMARY KEY, -- notification id (UUID string)
  user_id TEXT NOT NULL, -- recipient of the notification
  type TEXT NOT NULL, -- kind of notification, e.g. 'comment'
  title TEXT NOT NULL, -- short title
  message TEXT, -- optional message text
  is_read INTEGER NOT NULL DEFAULT 0 CHECK (is_read IN (0, 1)), -- 1 once the user has read it, else 0
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the notification was created (UTC)
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS idx_notifications_user_created_at ON notifications (user_id, created_at);
CREATE INDEX IF NOT EXISTS idx_notifications_unread ON notifications (user_id) WHERE is_read = 0;
