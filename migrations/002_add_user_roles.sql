-- Note: SQLite doesn't support IF NOT EXISTS for ALTER TABLE.
-- A rerun on a database that already has the columns is tolerated
-- ("duplicate column name" is reported as "already exists (OK)").

ALTER TABLE users ADD COLUMN role TEXT DEFAULT 'user';
ALTER TABLE users ADD COLUMN is_active INTEGER DEFAULT 1;

-- Update existing records
UPDATE users SET role = 'user' WHERE role IS NULL;
