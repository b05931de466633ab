-- Migration 0000: initial schema.
-- Creates the core tables of Evolution Hub: users, their projects, the activity log and comments on projects.

-- User accounts: identity and profile data of everyone who can sign in.
CREATE TABLE IF NOT EXISTS users (
  id TEXT PRIMARY KEY, -- user id (UUID string)
  email TEXT NOT NULL UNIQUE, -- login e-mail address, unique per user
  username TEXT NOT NULL UNIQUE, -- public user name, unique, at least 3 characters
  name TEXT, -- display name
  avatar_url TEXT, -- URL of the profile picture
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the account was created (UTC)
  updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the account was last changed (UTC)
  CONSTRAINT users_username_length_check CHECK (length(username) >= 3)
);

-- Projects: work items owned by a user.
CREATE TABLE IF NOT EXISTS projects (
  id TEXT PRIMARY KEY, -- project id (UUID string)
  user_id TEXT NOT NULL, -- owner of the project
  title TEXT NOT NULL, -- project title
  description TEXT, -- optional project description
  status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'completed', 'archived')), -- 'active' | 'completed' | 'archived'
  progress INTEGER NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100), -- progress in percent (0-100)
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the project was created (UTC)
  updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the project was last changed (UTC)
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS idx_projects_user_id ON projects (user_id);

-- Activities: log of actions a user performed, optionally tied to a project.
CREATE TABLE IF NOT EXISTS activities (
  id TEXT PRIMARY KEY, -- activity id (UUID string)
  user_id TEXT NOT NULL, -- user who performed the action
  project_id TEXT, -- project the action concerns; NULL if none or if the project was deleted
  action TEXT NOT NULL, -- kind of action, e.g. 'project_created'
  details TEXT, -- optional details of the action
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the action happened (UTC)
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
  FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE SET NULL
);

CREATE INDEX IF NOT EXISTS idx_activities_user_created_at ON activities (user_id, created_at);
CREATE INDEX IF NOT EXISTS idx_activities_project_id ON activities (project_id);

-- Comments: comments written by users on projects.
CREATE TABLE IF NOT EXISTS comments (
  id TEXT PRIMARY KEY, -- comment id (UUID string)
  project_id TEXT NOT NULL, -- project the comment belongs to
  user_id TEXT NOT NULL, -- author of the comment
  content TEXT NOT NULL CHECK (length(content) > 0), -- comment text, must not be empty
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the comment was written (UTC)
  updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the comment was last edited (UTC)
  FOREIGN KEY (project_id) REFERENCES projects(id) ON DELETE CASCADE,
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS idx_comments_project_id ON comments (project_id);
CREATE INDEX IF NOT EXISTS idx_comments_user_id ON comments (user_id);
