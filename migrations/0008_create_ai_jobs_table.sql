-- Migration 0008: AI jobs table.
-- Adds ai_jobs for asynchronous AI image processing jobs of signed-in users.

-- AI jobs: asynchronous AI image processing jobs, one per request of a user.
CREATE TABLE IF NOT EXISTS ai_jobs (
  id TEXT PRIMARY KEY, -- job id (UUID string)
  user_id TEXT NOT NULL, -- user who requested the job
  type TEXT NOT NULL, -- kind of image operation requested
  status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'processing', 'succeeded', 'failed', 'canceled')), -- 'queued' | 'processing' | 'succeeded' | 'failed' | 'canceled'
  input_params TEXT, -- parameters of the job (JSON)
  output_url TEXT, -- location of the result image
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the job was created (UTC)
  updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the job was last changed (UTC)
  completed_at TEXT, -- when the job finished; NULL until it finishes
  error_message TEXT, -- error message if the job failed
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE
);

CREATE INDEX IF NOT EXISTS idx_ai_jobs_user_id ON ai_jobs (user_id);
CREATE INDEX IF NOT EXISTS idx_ai_jobs_status ON ai_jobs (status);
CREATE INDEX IF NOT EXISTS idx_ai_jobs_created_at ON ai_jobs (created_at);
