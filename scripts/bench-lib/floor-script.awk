# Turns `sha256sum DIR/*.sql` output into the script the floor's single sqlite3
# process runs: per file, BEGIN IMMEDIATE + the file's SQL + its tracking row
# + COMMIT, which is the durable work slipway does for that file.
#
#   sha256sum dir/*.sql | awk -v ts=EPOCH -f floor-script.awk > floor.sql
#
# With -v session=DIR, each file also runs under a session of the CLI's own
# (`.session`, every table attached) whose changeset is written to DIR before
# COMMIT: what the session extension alone costs to record the same files.
#
# Checksum and timestamp are literals computed before the clock starts.
# File names must not contain a quote (the generated ones do not).
{
    sum = substr($0, 1, 64)
    path = substr($0, 67)               # after "<64 hex>  "; keeps spaces in the path
    name = path; sub(/.*\//, "", name)
    if (session != "") print ".session open main s\n.session s attach *"
    print "BEGIN IMMEDIATE;"
    while ((getline line < path) > 0) print line
    close(path)
    printf "INSERT INTO _migrations(filename, applied_at, checksum, duration_ms) VALUES('%s', %d, '%s', 0);\n", name, ts, sum
    if (session != "") printf ".session s changeset %s/%s.changeset\n", session, name
    print "COMMIT;"
    if (session != "") print ".session s close"
}
