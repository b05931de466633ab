-- Migration 0002: password hash for users.
-- Adds the nullable column users.password_hash for password login (removed again in 0010).

-- password_hash: hash of the user's password; NULL for users without a password
ALTER TABLE users ADD COLUMN password_hash TEXT;
