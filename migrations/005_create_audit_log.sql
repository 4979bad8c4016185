-- migrate:up
-- An audit trail kept by a trigger. The trigger body has semicolons of its
-- own, and the note below has a ';' and a '--' inside a string: SQLite splits
-- the statements, so none of these cuts a statement in two.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
  action TEXT NOT NULL,
  note TEXT,
  at INTEGER NOT NULL DEFAULT (strftime('%s', 'now'))
);

CREATE TRIGGER audit_role_change AFTER UPDATE OF role ON users
WHEN old.role IS NOT new.role
BEGIN
  INSERT INTO audit_log (user_id, action, note)
  VALUES (new.id, 'role', old.role || ' -> ' || new.role);
  UPDATE users SET is_active = 1 WHERE id = new.id AND new.role = 'admin';
END;

/* A first entry, so the log is never empty. */
INSERT INTO audit_log (action, note)
VALUES ('created', 'audit log started; entries are kept -- forever');

-- migrate:down
DROP TRIGGER IF EXISTS audit_role_change;
DROP TABLE IF EXISTS audit_log;
