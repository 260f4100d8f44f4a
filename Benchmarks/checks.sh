#!/usr/bin/env bash
# Benchmarks/checks.sh — curate's checks and fixes against the archive's reference queries,
# on the benchmark-size sample (Benchmarks/run.sh loads and keeps it in Benchmarks/.work).
#
#   Benchmarks/checks.sh [--size N] [--runs N] [--curate PATH]
#
# Cases (median of --runs, default 3; the three timed cases run interleaved, one round after
# another, so that load from other work on a shared machine falls on all of them alike):
#   psql: the three reference queries (duplicate canonical, duplicate present,
#         present-but-not-canonical), one psql run, output to /dev/null
#   curate: \check duplicate-canonical duplicate-present present-not-canonical
#   curate: \check fitsstorage (the whole pack, recorded in the run history)
#   curate: \check fitsstorage --no-record (the same without recording: the recording's cost)
# --curate PATH picks the binary (default .build/release/curate; built in release mode when
# missing); CURATE_SCRATCH_PATH=.build-perf uses .build-perf/release/curate instead.
#   curate: \fix duplicate-canonical --yes --dry-run on a copy with 10,000 duplicates
#           (set-based, one transaction, audited; rolled back so the copy can be reused)
# Targets (issue 4): the three checks <= half the psql time; the pack <= the psql time.
# Then (issue 20) the run history: a database with a year of nightly runs of 20 checks (7,300
# results, 50 keys each), \check --history of all and of one check, timed by \timing (the
# command's own time, without curate's start-up). Targets: recording <= 5% of the pack's time;
# --history <= 50 ms.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
size=1000000
runs=3
curate="${CURATE:-$ROOT/${CURATE_SCRATCH_PATH:-.build}/release/curate}"
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --curate) curate="$2"; shift 2 ;;
        -h | --help) sed -n '2,16p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "checks.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
# shellcheck source=Benchmarks/common.sh source-path=SCRIPTDIR/..
. "$ROOT/Benchmarks/common.sh"
PGDIR="$ROOT/Benchmarks/.work/pg-$size"
if [ ! -f "$PGDIR/loaded" ]; then
    echo "checks.sh: loading the sample first (Benchmarks/run.sh --psql-only --size $size --runs 1 --startup-runs 1)" >&2
    bash "$ROOT/Benchmarks/run.sh" --psql-only --size "$size" --runs 1 --startup-runs 1 >/dev/null
fi
if [ ! -x "$curate" ]; then
    (cd "$ROOT" && swift build -c release --scratch-path "${CURATE_SCRATCH_PATH:-.build}" --product curate)
fi
# shellcheck source=scripts/pgserver.sh source-path=SCRIPTDIR/..
. "$ROOT/scripts/pgserver.sh"
pgserver_start "$PGDIR" >/dev/null
trap 'pgserver_stop "$PGDIR" || true' EXIT
BINDIR="$(pgserver_bindir)"
CONN=(-h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres)
PSQL=("$BINDIR/psql" -X -q "${CONN[@]}")

time_cmd() {  # prints the median wall time of the command, in seconds
    local i t0 t1
    for ((i = 0; i < runs; i++)); do
        t0="$(now)"; "$@" >/dev/null; t1="$(now)"
        awk "BEGIN { print $t1 - $t0 }"
    done | median
}

REF="$(mktemp)"
trap 'rm -f "$REF"; pgserver_stop "$PGDIR" || true' EXIT
cat >"$REF" <<'SQL'
SELECT DISTINCT d.id, f.id, f.name FROM diskfile d JOIN file f ON f.id = d.file_id JOIN diskfile d2 ON d.file_id = d2.file_id WHERE d.id <> d2.id AND d.canonical AND d2.canonical ORDER BY d.id;
SELECT DISTINCT d.id, f.id, f.name FROM diskfile d JOIN file f ON f.id = d.file_id JOIN diskfile d2 ON d.file_id = d2.file_id WHERE d.id <> d2.id AND d.present AND d2.present ORDER BY d.id;
SELECT DISTINCT d.id, f.id, f.name FROM diskfile d JOIN file f ON f.id = d.file_id WHERE d.present AND NOT d.canonical ORDER BY d.id;
SQL
"${PSQL[@]}" -d fitsdata -c "VACUUM ANALYZE" >/dev/null   # a loaded, settled database, as in production
"${PSQL[@]}" -d fitsdata -f "$REF" >/dev/null   # warm the cache once for every case
wall() {  # prints the wall time of the command, in seconds
    local t0 t1
    t0="$(now)"; "$@" >/dev/null; t1="$(now)"
    awk "BEGIN { print $t1 - $t0 }"
}
refs=(); threes=(); packs=(); unrecorded=()
"$curate" -X "${CONN[@]}" -d fitsdata -c '\check orphan-file' >/dev/null 2>&1   # the history tables exist before timing
for ((round = 0; round < runs; round++)); do
    refs+=("$(wall "${PSQL[@]}" -d fitsdata -f "$REF")")
    threes+=("$(wall "$curate" -X "${CONN[@]}" -d fitsdata -c '\check duplicate-canonical duplicate-present present-not-canonical')")
    packs+=("$(wall "$curate" -X "${CONN[@]}" -d fitsdata -c '\check fitsstorage')")
    unrecorded+=("$(wall "$curate" -X "${CONN[@]}" -d fitsdata -c '\check fitsstorage --no-record')")
done
ref="$(printf '%s\n' "${refs[@]}" | median)"
three="$(printf '%s\n' "${threes[@]}" | median)"
pack="$(printf '%s\n' "${packs[@]}" | median)"
norecord="$(printf '%s\n' "${unrecorded[@]}" | median)"

# A year of nightly runs of 20 checks, in a database of its own.
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS fitshistory" -c "CREATE DATABASE fitshistory" >/dev/null
"$curate" -X "${CONN[@]}" -d fitshistory -c '\check orphan-file' >/dev/null 2>&1   # creates curate.check_run, check_result
"${PSQL[@]}" -d fitshistory >/dev/null <<'SQL'
TRUNCATE curate.check_run CASCADE;
INSERT INTO curate.check_run (id, at, curate_version, status, duration_ms)
SELECT n, now() - (365 - n) * interval '1 day', 'bench', 'findings', 1000 FROM generate_series(1, 365) n;
INSERT INTO curate.check_result (run_id, at, check_name, pack, pack_version, severity, status, finding_count, duration_ms, finding_keys)
SELECT r.id, r.at, 'check-' || lpad(c::text, 2, '0'), 'bench', '1.0', 'warning', 'findings', 50 + (r.id * c) % 17, 12.5,
       ARRAY(SELECT (k + r.id % 5)::text FROM generate_series(1, 50) k)
FROM curate.check_run r CROSS JOIN generate_series(1, 20) c;
ANALYZE curate.check_result;
SQL
timed() {  # the median of \timing's figure for one command, in ms
    local i
    for ((i = 0; i < runs; i++)); do
        "$curate" -X "${CONN[@]}" -d fitshistory -c '\timing on' -c "$1" | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' | tail -1
    done | median
}
historyall="$(timed '\check --history')"
historyone="$(timed '\check --history check-07')"
historysince="$(timed "\\check --history --since '30 days'")"
historydiff="$(timed '\check --diff')"
"${PSQL[@]}" -d postgres -c "DROP DATABASE fitshistory" >/dev/null

# A copy with 10,000 duplicate-canonical files (size 1000000 has c(7) = 10000).
"${PSQL[@]}" -d postgres -c "DROP DATABASE IF EXISTS fitsfix" -c "CREATE DATABASE fitsfix TEMPLATE fitsdata" >/dev/null
dups="$("${PSQL[@]}" -At -d fitsfix -c "SELECT count(*) FROM (SELECT file_id FROM diskfile WHERE canonical GROUP BY file_id HAVING count(*) > 1) x")"
"$curate" -X "${CONN[@]}" -d fitsfix -c '\fix queue-stuck --yes --commit' >/dev/null   # creates the audit schema
fix="$(time_cmd "$curate" -X "${CONN[@]}" -d fitsfix -c '\fix duplicate-canonical --yes --dry-run')"
t0="$(now)"; "$curate" -X "${CONN[@]}" -d fitsfix -c '\fix duplicate-canonical --yes --commit' >/dev/null; t1="$(now)"
fixcommit="$(awk "BEGIN { print $t1 - $t0 }")"
audited="$("${PSQL[@]}" -At -d fitsfix -c "SELECT row_count FROM curate.audit WHERE check_name = 'duplicate-canonical'")"
"${PSQL[@]}" -d postgres -c "DROP DATABASE fitsfix" >/dev/null

printf '| case | wall (s) |\n| --- | --- |\n'
printf '| psql: the three reference queries | %.3f |\n' "$ref"
printf '| curate: \\check of the same three | %.3f (%.2f of psql) |\n' "$three" "$(awk "BEGIN { print $three / $ref }")"
printf '| curate: \\check fitsstorage (8 checks) | %.3f (%.2f of psql) |\n' "$pack" "$(awk "BEGIN { print $pack / $ref }")"
printf '| curate: \\check fitsstorage --no-record | %.3f (recording: %+.1f%%) |\n' "$norecord" "$(awk "BEGIN { print ($pack / $norecord - 1) * 100 }")"
printf '| curate: \\check --history, 365 runs x 20 checks (7,300 rows) | %.1f ms |\n' "$historyall"
printf '| curate: \\check --history check-07 (365 rows) | %.1f ms |\n' "$historyone"
printf '| curate: \\check --history --since 30 days (600 rows) | %.1f ms |\n' "$historysince"
printf '| curate: \\check --diff (20 checks, 50 keys) | %.1f ms |\n' "$historydiff"
printf '| curate: \\fix duplicate-canonical --dry-run (%s files) | %.3f |\n' "$dups" "$fix"
printf '| curate: \\fix duplicate-canonical --commit (%s rows audited) | %.3f |\n' "$audited" "$fixcommit"
awk "BEGIN { exit !($three <= $ref / 2) }" && echo "target: three checks <= half of psql: met" || echo "target: three checks <= half of psql: NOT met"
awk "BEGIN { exit !($pack <= $ref) }" && echo "target: pack <= psql: met" || echo "target: pack <= psql: NOT met"
awk "BEGIN { exit !($pack <= $norecord * 1.05) }" && echo "target: recording <= 5%: met" || echo "target: recording <= 5%: NOT met"
awk "BEGIN { exit !($historyall <= 50) }" && echo "target: --history <= 50 ms: met" || echo "target: --history <= 50 ms: NOT met"
