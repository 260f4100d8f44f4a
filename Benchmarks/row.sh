#!/usr/bin/env bash
# Benchmarks/row.sh — \row file KEY on a large sample archive: the row, its related rows both
# ways (diskfile, header, the declared ingestqueue relation), the findings of the loaded checks
# run for this row alone, and its fix history.
#
#   Benchmarks/row.sh [--size N] [--runs N] [--calls N] [--keep-running]
#
# Loads the sample at --size files (default 1,000,000; the issue's 10,000,000 takes hours on a
# shared 2-core machine) into a throwaway server (Benchmarks/.work/pg-SIZE, kept between runs),
# builds curate in release (CURATE_BIN=PATH uses a binary already built), makes one audited fix
# so the row has history, then times, as the median of --runs (default 5) rounds:
#   per \row   (one curate running --calls \row commands - one curate running none) / --calls,
#              so process start and connection are not counted
# for three files (a duplicate-canonical one with a finding and a fix, a plain one, the last
# one), in two states:
#   unindexed  ingestqueue.filename has no index: \row says so and does not read it
#   indexed    after CREATE INDEX ON ingestqueue (filename): every relation is read
# Target (issue 19): <= 100 ms per \row with every relation indexed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/Benchmarks/.work"
size=1000000
runs=5
calls=20
keep_running=0
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --calls) calls="$2"; shift 2 ;;
        --keep-running) keep_running=1; shift ;;
        -h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "row.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
# shellcheck source=Benchmarks/common.sh source-path=SCRIPTDIR/..
. "$ROOT/Benchmarks/common.sh"

# shellcheck source=scripts/pgserver.sh source-path=SCRIPTDIR/..
. "$ROOT/scripts/pgserver.sh"
BINDIR="$(pgserver_bindir)"
PSQL="$BINDIR/psql"
PGDIR="$WORK/pg-$size"
DB=fitsdata
log() { echo "row.sh: $*" >&2; }

mkdir -p "$WORK"
cleanup() { if [ "$keep_running" -eq 0 ]; then pgserver_stop "$PGDIR" || true; fi; }
trap cleanup EXIT
trap 'exit 130' INT
start_sample_server "$PGDIR" "$DB" "$size" "$PSQL"
CONN=(-h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres -d "$DB")
sql() { "$PSQL" -X -q -At -v ON_ERROR_STOP=1 "${CONN[@]}" -c "$1"; }

log "building curate (release)"
build_release_curate

# The files: one with the seeded duplicate-canonical problem (fixed below, so it has history
# and, its twin file 107 left alone, the finding of duplicate-present stays), one plain, the last.
dup="$(sql "SELECT name FROM file WHERE id = 7")"
plain="$(sql "SELECT name FROM file WHERE id = 12")"
last="$(sql "SELECT name FROM file ORDER BY id DESC LIMIT 1")"
# The file's ingest queue entry.
sql "INSERT INTO ingestqueue (filename, path, inprogress, added) SELECT '$dup', 'dataflow/GN/20240629', true, '2024-06-30 11:00'
     WHERE NOT EXISTS (SELECT FROM ingestqueue WHERE filename = '$dup')"
if [ "$(sql "SELECT to_regclass('curate.audit') IS NULL")" = t ]; then
    log "one audited fix (duplicate-canonical, for file 7 alone)"
    "$CURATE" -X "${CONN[@]}" -c "\\fix duplicate-canonical --where \"file_id = 7\" --yes --commit" >/dev/null
fi

script() {
    local name="$1" n="$2"
    for _ in $(seq "$n"); do printf '\\row file %s\n' "$name"; done
}
# Seconds per \row for file $1: (calls - none) / calls.
per_row() {
    local t0 t1 t2
    script "$1" "$calls" >"$WORK/row-script.txt"
    t0="$(now)"; "$CURATE" -X "${CONN[@]}" -c "SELECT 1" >/dev/null
    t1="$(now)"; "$CURATE" -X "${CONN[@]}" -f "$WORK/row-script.txt" >/dev/null
    t2="$(now)"
    calc "(($t2 - $t1) - ($t1 - $t0)) / $calls * 1000"
}

measure() {
    local state="$1"
    for label in dup plain last; do
        local name="${!label}" times=()
        # Warm: the first \row reads the catalog and the table's pages.
        "$CURATE" -X "${CONN[@]}" -c "\\row file $name" >/dev/null
        for _ in $(seq "$runs"); do times+=("$(per_row "$name")"); done
        printf '| %s | %s | %s | %.1f |\n' "$state" "$label" "$name" "$(median "${times[@]}")"
    done
}

log "measuring ($runs rounds of $calls calls; load $(cut -d' ' -f1-3 /proc/loadavg))"
echo "size $size files; curate $CURATE"
echo
echo "| relations | file | name | ms per \\row (median) |"
echo "|---|---|---|---|"
sql "DROP INDEX IF EXISTS ingestqueue_filename_idx"
"$CURATE" -X "${CONN[@]}" -c "\\row file $dup" | grep -F "not indexed" | sed 's/^ */  /' >"$WORK/row-note.txt" || true
measure unindexed
sql "CREATE INDEX ingestqueue_filename_idx ON ingestqueue (filename)"
measure indexed
sql "DROP INDEX ingestqueue_filename_idx"
echo
echo "What \\row said of the unindexed relation:"
cat "$WORK/row-note.txt"
log "done (load $(cut -d' ' -f1-3 /proc/loadavg))"
