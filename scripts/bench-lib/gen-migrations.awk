# Writes N small, realistic SQLite migrations into DIR as 0001_xxx.sql …
#
#   awk -v n=1000 -v dir=/path/to/folder -f gen-migrations.awk </dev/null
#
# The mix follows what an app's migrations folder tends to hold: new tables
# (a few columns, NOT NULL / DEFAULT / CHECK / UNIQUE, sometimes a foreign key
# to an earlier table), indexes, ALTER TABLE ADD COLUMN, small seed INSERTs,
# UPDATE backfills and the occasional trigger. Every statement is valid on the
# schema built by the files before it, and no foreign key is ever violated, so
# both slipway (which checks foreign keys after each file) and `sqlite3 -bail`
# apply all files without a warning.
#
# Deterministic: a Park-Miller generator with a fixed seed (exact in awk's
# doubles), no srand()/rand(), no clock. The same n gives byte-identical files,
# and the first 200 files of n=1000 are the files of n=200.

function rnd(m) {                       # integer in [0, m)
    seed = (seed * 16807) % 2147483647
    return int(seed / 2147483647 * m)
}

function pick(list,    parts, c) {      # one word of a space-separated list
    c = split(list, parts, " ")
    return parts[rnd(c) + 1]
}

# Column kinds: name email status amount score notes fk flag label counter.
function column_ddl(t, c,    kind, col) {
    kind = ckind[t, c]; col = cname[t, c]
    if (kind == "name")    return col " TEXT NOT NULL"
    if (kind == "email")   return col " TEXT NOT NULL UNIQUE"
    if (kind == "status")  return col " TEXT NOT NULL DEFAULT 'active' CHECK (" col " IN ('active', 'inactive', 'archived'))"
    if (kind == "amount")  return col " INTEGER NOT NULL DEFAULT 0 CHECK (" col " >= 0)"
    if (kind == "score")   return col " REAL"
    if (kind == "notes")   return col " TEXT"
    if (kind == "fk")      return col " INTEGER REFERENCES " tname[cparent[t, c]] "(id) ON DELETE CASCADE"
    if (kind == "flag")    return col " INTEGER NOT NULL DEFAULT 0 CHECK (" col " IN (0, 1))"
    if (kind == "label")   return col " TEXT"
    if (kind == "counter") return col " INTEGER NOT NULL DEFAULT 0"
}

# SQL value for column c of table t in row j (j: a number, or "x" inside a CTE).
function column_value(t, c, j,    kind, p) {
    kind = ckind[t, c]
    if (kind == "name")    return (j == "x") ? "'Name ' || x" : "'Name " j "'"
    if (kind == "email")   return (j == "x") ? "'u" k "_' || x || '@example.com'" : "'u" k "_" j "@example.com'"
    if (kind == "status")  return (j == "x") ? "CASE x % 3 WHEN 0 THEN 'active' WHEN 1 THEN 'inactive' ELSE 'archived' END" : "'" pick("active active inactive archived") "'"
    if (kind == "amount")  return (j == "x") ? "x * 125" : rnd(100000)
    if (kind == "score")   return (j == "x") ? "x / 7.0" : rnd(1000) / 10
    if (kind == "notes" || kind == "label")
        return (j == "x") ? "'seed ' || x" : "'" pick("first second imported manual legacy trial") " " j "'"
    if (kind == "fk") {
        p = cparent[t, c]
        if (rows[p] == 0) return "NULL"
        return (j == "x") ? "(x % " rows[p] ") + 1" : rnd(rows[p]) + 1
    }
    if (kind == "flag")    return (j == "x") ? "x % 2" : rnd(2)
    if (kind == "counter") return (j == "x") ? "x % 10" : rnd(10)
}

function add_column(t, kind, col, parent) {
    ncol[t]++
    ckind[t, ncol[t]] = kind; cname[t, ncol[t]] = col; cparent[t, ncol[t]] = parent
    hascol[t, col] = 1
}

function new_table(    t, base, c, kinds, i, p, sql) {
    t = ++ntables
    base = pick("users accounts orders invoices products customers sessions payments shipments reviews carts coupons tickets projects tasks comments tags teams devices subscriptions")
    tname[t] = base "_" k
    rows[t] = 0; ncol[t] = 0
    add_column(t, "name", "name")
    if (rnd(2)) add_column(t, "email", "email")
    add_column(t, "status", "status")
    if (rnd(2)) add_column(t, "amount", "amount_cents")
    if (rnd(3) == 0) add_column(t, "score", "score")
    if (rnd(3) == 0) add_column(t, "notes", "notes")
    if (t > 1 && rnd(2)) {
        p = t - 1 - rnd(t - 1 < 8 ? t - 1 : 8)        # a recent table, as apps tend to do
        add_column(t, "fk", tname[p] "_id", p)
    }
    sql = "CREATE TABLE " tname[t] " (\n  id INTEGER PRIMARY KEY"
    for (c = 1; c <= ncol[t]; c++) sql = sql ",\n  " column_ddl(t, c)
    sql = sql ",\n  created_at INTEGER NOT NULL DEFAULT (strftime('%s', 'now')),\n  updated_at INTEGER\n);\n"
    return sql
}

function index_sql(t,    c, col, name) {
    # Prefer a column without an index yet; a foreign key column first.
    for (c = 1; c <= ncol[t]; c++)
        if (ckind[t, c] == "fk" && !indexed[t, cname[t, c]]) break
    if (c > ncol[t]) c = rnd(ncol[t]) + 1
    col = cname[t, c]
    if (indexed[t, col] || ckind[t, c] == "email") col = "created_at"
    if (indexed[t, col]) return ""
    indexed[t, col] = 1
    name = "idx_" tname[t] "_" col
    if (ckind[t, c] == "status" && rnd(2))
        return "CREATE INDEX " name " ON " tname[t] " (" col ", created_at) WHERE " col " <> 'archived';\n"
    return "CREATE INDEX " name " ON " tname[t] " (" col ");\n"
}

function insert_sql(t, count,    c, j, cols, sql) {
    cols = ""
    for (c = 1; c <= ncol[t]; c++) cols = cols (c > 1 ? ", " : "") cname[t, c]
    if (count > 10) {                   # a seed: rows from a recursive CTE
        sql = "INSERT INTO " tname[t] " (" cols ")\n  WITH RECURSIVE seq(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM seq WHERE x < " count ")\n  SELECT "
        for (c = 1; c <= ncol[t]; c++) sql = sql (c > 1 ? ", " : "") column_value(t, c, "x")
        rows[t] += count
        return sql " FROM seq;\n"
    }
    sql = "INSERT INTO " tname[t] " (" cols ") VALUES"
    for (j = 1; j <= count; j++) {
        sql = sql (j > 1 ? "," : "") "\n  ("
        for (c = 1; c <= ncol[t]; c++) sql = sql (c > 1 ? ", " : "") column_value(t, c, rows[t] + j)
        sql = sql ")"
    }
    rows[t] += count
    return sql ";\n"
}

function update_sql(t,    c, tries, kind, col, set, where) {
    for (tries = 0; tries < 6; tries++) {
        c = rnd(ncol[t]) + 1; kind = ckind[t, c]; col = cname[t, c]
        if (kind == "amount")  { set = col " = " col " + 100"; where = "id % 3 = 0"; break }
        if (kind == "status")  { set = col " = 'archived'"; where = col " = 'inactive' AND id % 2 = 0"; break }
        if (kind == "score")   { set = col " = round(coalesce(" col ", 0) * 1.1, 2)"; where = col " IS NOT NULL"; break }
        if (kind == "notes" || kind == "label") { set = col " = 'backfilled'"; where = col " IS NULL"; break }
        if (kind == "flag")    { set = col " = 1"; where = "id % 2 = 0"; break }
        if (kind == "counter") { set = col " = " col " + 1"; where = "1"; break }
        if (kind == "name")    { set = col " = trim(" col ")"; where = col " <> trim(" col ")"; break }
    }
    if (tries == 6) return ""
    return "UPDATE " tname[t] " SET " set ", updated_at = strftime('%s', 'now') WHERE " where ";\n"
}

function alter_sql(t,    kind, word, col, p) {
    kind = pick("flag label counter flag label fk")
    word = pick("verified priority region source archived premium locale referral channel legacy")
    if (kind == "flag")    col = "is_" word
    if (kind == "label")   col = word "_label"
    if (kind == "counter") col = word "_count"
    if (kind == "fk") {
        if (t == 1) { kind = "label"; col = word "_label" }
        else { p = 1 + rnd(t - 1); col = tname[p] "_id"; if (rnd(2)) col = "ref_" col }
    }
    if (hascol[t, col]) col = col "_" k
    add_column(t, kind, col, p)
    return "ALTER TABLE " tname[t] " ADD COLUMN " column_ddl(t, ncol[t]) ";\n"
}

function trigger_sql(t) {
    if (trigger[t]) return ""
    trigger[t] = 1
    return "CREATE TRIGGER trg_" tname[t] "_touch AFTER UPDATE ON " tname[t] "\nFOR EACH ROW WHEN NEW.updated_at IS OLD.updated_at\nBEGIN\n  UPDATE " tname[t] " SET updated_at = strftime('%s', 'now') WHERE id = NEW.id;\nEND;\n"
}

function write_file(slug, what, body,    path) {
    path = sprintf("%s/%04d_%s.sql", dir, k, slug)
    printf "-- %s\n%s", what, body > path
    close(path)
}

BEGIN {
    if (n == "" || dir == "") { print "usage: awk -v n=N -v dir=DIR -f gen-migrations.awk" > "/dev/stderr"; exit 2 }
    seed = 20240601
    for (k = 1; k <= n; k++) {
        r = (ntables < 3) ? 0 : rnd(100)
        t = (ntables > 0) ? ntables - rnd(ntables < 12 ? ntables : 12) : 0   # recent tables change most
        if (r < 20) {
            body = new_table(); t = ntables
            if (rnd(2)) body = body index_sql(t)
            write_file("create_" tname[t], "Create " tname[t] ".", body)
        } else if (r < 24) {                            # a feature: table, index and seed data
            body = new_table(); t = ntables
            body = body index_sql(t) insert_sql(t, 20 + rnd(40))
            write_file("add_" tname[t], "Add " tname[t] " with its seed data.", body)
        } else if (r < 40 && (body = index_sql(t)) != "") {
            write_file("index_" tname[t], "Index " tname[t] " for a frequent lookup.", body)
        } else if (r < 56) {
            body = alter_sql(t)
            write_file("add_" cname[t, ncol[t]] "_to_" tname[t], "Add " cname[t, ncol[t]] " to " tname[t] ".", body)
        } else if (r < 94 && r >= 78 && (body = update_sql(t)) != "") {
            write_file("backfill_" tname[t], "Backfill " tname[t] ".", body)
        } else if (r >= 94 && (body = trigger_sql(t)) != "") {
            write_file("touch_trigger_" tname[t], "Keep " tname[t] ".updated_at current.", body)
        } else {
            write_file("seed_" tname[t], "Seed rows into " tname[t] ".", insert_sql(t, 2 + rnd(7)))
        }
    }
}
