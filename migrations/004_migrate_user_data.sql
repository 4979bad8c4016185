-- The seed's data migration. Its second UPDATE needs users.full_name, which
-- no earlier migration created, so this file adds the column first.
ALTER TABLE users ADD COLUMN full_name TEXT;

-- Update existing data structure
UPDATE users
SET email = lower(email)
WHERE email != lower(email);

-- Populate new fields from existing data
UPDATE users
SET full_name = username
WHERE full_name IS NULL;
