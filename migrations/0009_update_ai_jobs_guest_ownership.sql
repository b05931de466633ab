-- Migration 0009: guest ownership for AI jobs.
-- Rebuilds ai_jobs (create new table, copy, drop, rename) so that a job is owned by a user or a guest
-- (owner_type/owner_ref, user_id now nullable) and stores provider and R2 details.
-- Existing jobs are copied as user jobs with provider 'legacy'; the old columns type and
-- completed_at are not carried over, input_params moves to params_json, output_url to output_r2_key.

-- AI jobs (rebuilt): asynchronous AI image processing jobs of users and guests.
CREATE TABLE ai_jobs_new (
  id TEXT PRIMARY KEY, -- job id (UUID string)
  user_id TEXT, -- nullable for guests
  owner_type TEXT NOT NULL, -- 'user' | 'guest'
  owner_ref TEXT NOT NULL, -- users.id or guest_id (cookie)
  provider TEXT NOT NULL, -- AI provider, e.g. 'replicate'
  model TEXT, -- model used by the provider
  status TEXT NOT NULL DEFAULT 'queued', -- 'queued' | 'processing' | 'succeeded' | 'failed' | 'canceled'
  provider_job_id TEXT, -- id of the job at the provider
  input_r2_key TEXT, -- R2 key of the input image
  input_content_type TEXT, -- MIME type of the input image
  input_size INTEGER, -- size of the input image in bytes
  output_r2_key TEXT, -- R2 key of the result image
  params_json TEXT, -- parameters of the job (JSON)
  error_message TEXT, -- error message if the job failed
  created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the job was created (UTC)
  updated_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, -- when the job was last changed (UTC)
  FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE,
  CONSTRAINT ai_jobs_owner_type_check CHECK (owner_type IN ('user', 'guest')),
  CONSTRAINT ai_jobs_status_check CHECK (status IN ('queued', 'processing', 'succeeded', 'failed', 'canceled'))
);

INSERT INTO ai_jobs_new (
  id, user_id, owner_type, owner_ref, provider, model, status,
  provider_job_id, input_r2_key, input_content_type, input_size, output_r2_key,
  params_json, error_message, created_at, updated_at
)
SELECT
  id, user_id, 'user', user_id, 'legacy', NULL, status,
  NULL, NULL, NULL, NULL, output_url,
  input_params, error_message, created_at, updated_at
FROM ai_jobs;

DROP TABLE ai_jobs;

ALTER TABLE ai_jobs_new RENAME TO ai_jobs;

CREATE INDEX IF NOT EXISTS idx_ai_jobs_user_created_at ON ai_jobs (user_id, created_at);
CREATE INDEX IF NOT EXISTS idx_ai_jobs_owner_created_at ON ai_jobs (owner_type, owner_ref, created_at);
CREATE INDEX IF NOT EXISTS idx_ai_jobs_provider_job_id ON ai_jobs (provider_job_id);
CREATE INDEX IF NOT EXISTS idx_ai_jobs_status ON ai_jobs (status);
CREATE INDEX IF NOT EXISTS idx_ai_jobs_created_at ON ai_jobs (created_at);
