# shellcheck shell=bash
# Sourced by scripts/bench. Many databases: 200 database files x 50 migrations,
# `slipway migrate --db 'DIR/*.db' --jobs 2` against the sqlite3 CLI over the same
# files two at a time (`xargs -P2`), each running the floor script (per file:
# BEGIN IMMEDIATE, the SQL, its tracking row, COMMIT): the same durable work.
bench_many() {
  local n=200 s=() f=() i dir=$work/many-m50 sdir=$work/many-slipway fdir=$work/many-floor script=$work/many-floor.sql
  mkdir -p "$dir"
  awk -v n=50 -v dir="$dir" -f "$lib/gen-migrations.awk" </dev/null
  floor_script "$dir" "$script" with_table
  many_reset() { # DIR: n empty databases
    rm -rf "$1"; mkdir -p "$1"
    local k
    for ((k = 0; k < n; k++)); do : >"$1/t$k.db"; done
  }
  run_many_slipway() {
    "$bin" migrate --db "$sdir/*.db" --dir "$dir" --jobs 2 --no-record >/dev/null 2>"$work/slipway.err" ||
      { cat "$work/slipway.err" >&2; die "slipway migrate over $n databases failed"; }
  }
  run_many_floor() {
    printf '%s\n' "$fdir"/*.db | xargs -P2 -I{} sh -c 'sqlite3 -bail -init /dev/null "$1" < "$2" > /dev/null' sh {} "$script" ||
      die "sqlite3 over $n databases failed"
  }
  many_reset "$sdir"; many_reset "$fdir"
  run_many_slipway; run_many_floor   # warm-up; both sides must agree
  check_same "$sdir/t0.db" "$fdir/t0.db" 50
  check_same "$sdir/t$((n - 1)).db" "$fdir/t$((n - 1)).db" 50
  for ((i = 1; i <= runs; i++)); do
    many_reset "$sdir"; many_reset "$fdir"
    if ((i % 2)); then time_into s run_many_slipway; time_into f run_many_floor; else time_into f run_many_floor; time_into s run_many_slipway; fi
    log "many databases, run $i/$runs: slipway $(secs "${s[-1]}") s, sqlite3 x $n (xargs -P2) $(secs "${f[-1]}") s"
  done
  add_row "200 dbs x 50 files, jobs 2" "$(median_s "${s[@]}")" "$(median_s "${f[@]}")" 1.0
}
