-- Migration 0004: tasks table.
-- Adds tasks that belong to a user and, optionally, to one of the user's projects.

-- Tasks: to-do items of a user, optionally within a project.
CREATE TABLE IF NOT EXISTS tasks (
  id TEXT PRIMARY KEY, -- task id (UUID string)
  user_id TEXT NOT NULL, -- user the task belongs to
  project_id TEXT, -- project the task belongs to; NULL for tasks outside a project
  title TEXT NOT NULL, -- task title
  description TEXT, -- optional task description
  status TEXT NOT NULL DEFAULT 'todo' CHECK (status IN ('todo', 'in_progress', 'done')), -- 'todo' | 'in_progress' | 'done'
  priority TEXT NOT NULL DEFAULT 'medium' CHECK (priority IN ('low', 'medium', 'high')), -- 'low' | 'medium' | 'high'
  due_date TEXT, -- optional due date (ISO 8601)
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the task was created (UTC)
  updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the task was last changed (UTC)
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
  FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS idx_tasks_user_id ON tasks (user_id);
CREATE INDEX IF NOT EXISTS idx_tasks_project_id ON tasks (project_id);
CREATE INDEX IF NOT EXISTS idx_tasks_status ON tasks (status);
