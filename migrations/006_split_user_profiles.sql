-- migrate:up
-- A data migration: profile fields move out of users into their own table.
CREATE TABLE user_profiles (
  user_id INTEGER PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
  full_name TEXT,
  display_name TEXT NOT NULL
);

INSERT INTO user_profiles (user_id, full_name, display_name)
SELECT id, full_name, coalesce(full_name, username) FROM users;

CREATE VIEW active_users AS
SELECT u.id, u.username, u.email, p.display_name
FROM users AS u JOIN user_profiles AS p ON p.user_id = u.id
WHERE u.is_active = 1;

-- migrate:down
DROP VIEW IF EXISTS active_users;
DROP TABLE IF EXISTS user_profiles;
