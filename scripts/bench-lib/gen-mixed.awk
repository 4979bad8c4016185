# Writes N migrations into DIR shaped like a real app's folder as users
# reported it (issue #11), not like slipway's own tests:
#
#   awk -v n=1000 -v dir=/path/to/folder -f gen-mixed.awk </dev/null
#
#   fill     about 25%  INSERT of 20-200 rows into a table that exists
#   create   about 20%  CREATE TABLE, sometimes with a few seed rows
#   addcol   about 17%  ALTER TABLE t ADD COLUMN c INTEGER NOT NULL DEFAULT 0,
#                       then UPDATE t SET c = … on a table that has rows
#   fix      about 12%  two to four UPDATEs, on one or more tables
#   index    about 10%  CREATE INDEX
#   view     about  8%  CREATE VIEW over one table or a join
#   trigger  about  8%  AFTER UPDATE/INSERT triggers that write audit_log,
#                       which later fills and fixes then fire
#
# The kind is the file name's first word after the number (0042_fix_…), which
# is how scripts/bench sums `--json` durations per kind. Deterministic, like
# gen-migrations.awk: a Park-Miller generator with a fixed seed, no clock;
# the first 200 files of n=1000 are the files of n=200.

function rnd(m) {
    seed = (seed * 16807) % 2147483647
    return int(seed / 2147483647 * m)
}

function pick(list, sep,    parts, c) {   # one item of a list (space-separated unless sep)
    c = split(list, parts, sep == "" ? " " : sep)
    return parts[rnd(c) + 1]
}

# A table with rows, preferring recent ones (apps change what they just built); 0 if none.
function table_with_rows(    tries, t) {
    for (tries = 0; tries < 12; tries++) {
        t = ntables - rnd(ntables < 15 ? ntables : 15)
        if (rows[t] > 0) return t
    }
    for (t = ntables; t > 0; t--) if (rows[t] > 0) return t
    return 0
}

function create_sql(    t, sql) {
    t = ++ntables
    tname[t] = pick("users accounts orders invoices products customers sessions payments shipments reviews carts tickets projects tasks comments teams devices") "_" k
    rows[t] = 0; nint[t] = 0
    sql = "CREATE TABLE " tname[t] " (\n  id INTEGER PRIMARY KEY,\n  name TEXT NOT NULL,\n  status TEXT NOT NULL DEFAULT 'active',\n  amount INTEGER NOT NULL DEFAULT 0,\n  note TEXT"
    if (t > 1 && rnd(2)) { parent[t] = t - 1 - rnd(t - 1 < 6 ? t - 1 : 6); sql = sql ",\n  " tname[parent[t]] "_id INTEGER REFERENCES " tname[parent[t]] "(id)" }
    sql = sql ",\n  created_at INTEGER NOT NULL DEFAULT 1700000000\n);\n"
    if (rnd(3) == 0) sql = sql fill_sql(t, 5 + rnd(20))
    return sql
}

# Rows numbered after the table's current ones, so ids never collide.
function fill_sql(t, count,    cols, vals, p, from) {
    from = rows[t]
    cols = "id, name, status, amount, note"
    vals = "x, 'name ' || x, CASE x % 3 WHEN 0 THEN 'active' WHEN 1 THEN 'inactive' ELSE 'archived' END, x * 7 % 1000, NULL"
    p = parent[t]
    if (p) { cols = cols ", " tname[p] "_id"; vals = vals ", " (rows[p] ? "(x % " rows[p] ") + 1" : "NULL") }
    rows[t] += count
    return "INSERT INTO " tname[t] " (" cols ")\n  WITH RECURSIVE seq(x) AS (SELECT " (from + 1) " UNION ALL SELECT x + 1 FROM seq WHERE x < " (from + count) ")\n  SELECT " vals " FROM seq;\n"
}

function addcol_sql(t,    c) {
    c = pick("priority score visits retries level rank weight tier") "_" k
    icol[t, ++nint[t]] = c
    return "ALTER TABLE " tname[t] " ADD COLUMN " c " INTEGER NOT NULL DEFAULT 0;\nUPDATE " tname[t] " SET " c " = " pick("id % 5|amount / 10|length(name)|(id * 31) % 97", "|") " WHERE " pick("1|id % 2 = 0|status <> 'archived'|amount > 100", "|") ";\n"
}

function update_sql(t,    r) {
    r = rnd(5)
    if (r == 0) return "UPDATE " tname[t] " SET status = 'archived' WHERE status = 'inactive' AND id % 4 = 0;\n"
    if (r == 1) return "UPDATE " tname[t] " SET amount = amount + 10 WHERE id % 3 = 0;\n"
    if (r == 2) return "UPDATE " tname[t] " SET note = 'checked' WHERE note IS NULL AND id % 2 = 1;\n"
    if (r == 3 && nint[t]) return "UPDATE " tname[t] " SET " icol[t, 1 + rnd(nint[t])] " = " icol[t, 1 + rnd(nint[t])] " + 1 WHERE id % 5 = 0;\n"
    return "UPDATE " tname[t] " SET name = trim(name) || '' WHERE id % 7 = 0;\n"
}

function fix_sql(    n2, i, t, sql) {
    n2 = 2 + rnd(3); sql = ""
    for (i = 0; i < n2; i++) {
        t = table_with_rows()
        sql = sql update_sql(t)
    }
    return sql
}

function index_sql(t,    col) {
    col = pick("status amount created_at name")
    if (indexed[t, col]) return ""
    indexed[t, col] = 1
    return "CREATE INDEX idx_" tname[t] "_" col " ON " tname[t] " (" col ");\n"
}

function view_sql(t,    p) {
    p = parent[t]
    if (p && rnd(2))
        return "CREATE VIEW v_" tname[t] " AS\n  SELECT c.id, c.name, p.name AS parent_name\n  FROM " tname[t] " c LEFT JOIN " tname[p] " p ON p.id = c." tname[p] "_id;\n"
    return "CREATE VIEW v_" tname[t] " AS\n  SELECT status, count(*) AS n, sum(amount) AS total FROM " tname[t] " GROUP BY status;\n"
}

function trigger_sql(t,    sql) {
    if (trigger[t]) return ""
    trigger[t] = 1
    sql = ""
    if (!audit) {
        audit = 1
        sql = "CREATE TABLE audit_log (\n  id INTEGER PRIMARY KEY,\n  table_name TEXT NOT NULL,\n  row_id INTEGER NOT NULL,\n  action TEXT NOT NULL,\n  detail TEXT\n);\n"
    }
    sql = sql "CREATE TRIGGER trg_" tname[t] "_audit_update AFTER UPDATE ON " tname[t] "\nBEGIN\n  INSERT INTO audit_log (table_name, row_id, action, detail)\n  VALUES ('" tname[t] "', NEW.id, 'update', OLD.status || ' -> ' || NEW.status);\nEND;\n"
    if (rnd(2)) sql = sql "CREATE TRIGGER trg_" tname[t] "_audit_insert AFTER INSERT ON " tname[t] "\nBEGIN\n  INSERT INTO audit_log (table_name, row_id, action) VALUES ('" tname[t] "', NEW.id, 'insert');\nEND;\n"
    return sql
}

function write_file(kind, slug, body,    path) {
    path = sprintf("%s/%04d_%s_%s.sql", dir, k, kind, slug)
    printf "-- %s %s.\n%s", kind, slug, body > path
    close(path)
}

BEGIN {
    if (n == "" || dir == "") { print "usage: awk -v n=N -v dir=DIR -f gen-mixed.awk" > "/dev/stderr"; exit 2 }
    seed = 20251101
    for (k = 1; k <= n; k++) {
        r = (ntables < 3) ? 30 : rnd(100)
        t = table_with_rows()
        if (r < 25 || (t == 0 && r >= 45)) {
            if (t == 0) t = ntables - rnd(ntables)
            write_file("fill", tname[t], fill_sql(t, 20 + rnd(180)))
        } else if (r < 45) {
            body = create_sql()
            write_file("create", tname[ntables], body)
        } else if (r < 62) {
            write_file("addcol", tname[t], addcol_sql(t))
        } else if (r < 74) {
            write_file("fix", tname[t], fix_sql())
        } else if (r < 84 && (body = index_sql(t)) != "") {
            write_file("index", tname[t], body)
        } else if (r < 92 && !viewed[t]) {
            viewed[t] = 1
            write_file("view", tname[t], view_sql(t))
        } else if ((body = trigger_sql(t)) != "") {
            write_file("trigger", tname[t], body)
        } else {
            write_file("fill", tname[t], fill_sql(t, 20 + rnd(180)))
        }
    }
}
