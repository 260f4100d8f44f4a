#!/usr/bin/env bash
# Benchmarks/memory.sh — curate's peak memory under load, psql beside it in the same run.
#
#   Benchmarks/memory.sh                 everything (builds curate in release into .build-memory)
#   Options: --quick          smaller sizes (1,000/10,000 statements; 100,000/1,000,000 rows)
#            --curate BIN     measure this curate instead of building one
#            --scratch DIR    the release build's scratch folder (default .build-memory)
#            --keep-running   leave the server running afterwards
#
# Two loads, each at three sizes, each run once under /usr/bin/time -v (Debian package
# `time`, installed when missing), output to /dev/null; peak RSS is time -v's "Maximum resident
# set size", wall time the shell clock:
#   (a) a script of 1,000 / 10,000 / 100,000 statements on stdin (-f -): INSERT, SELECT,
#       UPDATE and a count in turn, each statement its own round trip, on an unlogged table;
#   (b) a streamed result: SELECT g, md5(g::text) FROM generate_series(1, N) g for N = 100,000 /
#       1,000,000 / 10,000,000, in --csv and in the aligned format.
# psql runs the same inputs: as it comes (it holds a whole result in memory before printing
# it) and, for results, with FETCH_COUNT=1000 (a cursor, 1,000 rows at a time).
# Prints a Markdown table and whether curate's memory stayed flat: its peak RSS at the largest
# size at most 16 MiB above its peak at the smallest, for each load.
#
# Its own throwaway server in Benchmarks/.work/pg-memory (kept between runs; no sample data needed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/Benchmarks/.work"

quick=0
curate_bin=""
scratch="$ROOT/.build-memory"
keep_running=0
while [ $# -gt 0 ]; do
    case "$1" in
        --quick) quick=1; shift ;;
        --curate) curate_bin="$2"; shift 2 ;;
        --scratch) scratch="$2"; shift 2 ;;
        --keep-running) keep_running=1; shift ;;
        -h | --help) sed -n '2,23p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "memory.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

if [ "$quick" -eq 1 ]; then
    statement_sizes=(1000 10000)
    row_sizes=(100000 1000000)
else
    statement_sizes=(1000 10000 100000)
    row_sizes=(100000 1000000 10000000)
fi

# shellcheck source=Benchmarks/common.sh source-path=SCRIPTDIR/..
. "$ROOT/Benchmarks/common.sh"
bash "$ROOT/scripts/install-deps.sh" time || true
[ -x /usr/bin/time ] || { echo "memory.sh: /usr/bin/time missing (Debian package time)" >&2; exit 1; }

# shellcheck source=scripts/pgserver.sh source-path=SCRIPTDIR/..
. "$ROOT/scripts/pgserver.sh"

log() { echo "memory.sh: $*" >&2; }
holds() { awk "BEGIN { exit !($1) }"; }

# --- curate ----------------------------------------------------------------
if [ -z "$curate_bin" ]; then
    log "building curate (release) in $scratch"
    (cd "$ROOT" && swift build -c release --static-swift-stdlib --product curate --scratch-path "$scratch")
    curate_bin="$scratch/release/curate"
fi
[ -x "$curate_bin" ] || { log "no curate at $curate_bin"; exit 1; }
CURATE="$curate_bin"

# --- server ----------------------------------------------------------------
PGDIR="$WORK/pg-memory"
mkdir -p "$WORK"
cleanup() {
    if [ "$keep_running" -eq 0 ]; then pgserver_stop "$PGDIR" || true; fi
}
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"; cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
pgserver_start "$PGDIR" >/dev/null
PSQL="$(pgserver_bindir)/psql"
CONN=(-h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres -d postgres)

# --- measuring -------------------------------------------------------------
RESULTS="$TMP/results"
: >"$RESULTS"

# run_once INPUT CMD...: runs CMD with stdin from INPUT (or /dev/null) and stdout to /dev/null;
# sets WALL (s) and RSS (KiB).
run_once() {
    local input="$1" t0 t1
    shift
    t0="$(now)"
    if ! /usr/bin/time -v -o "$TMP/time" "$@" <"$input" >/dev/null 2>"$TMP/err"; then
        log "command failed: $*"
        tail -n 20 "$TMP/err" >&2
        exit 1
    fi
    t1="$(now)"
    if grep -q 'ERROR' "$TMP/err"; then
        log "errors from: $*"
        grep -m 5 'ERROR' "$TMP/err" >&2
        exit 1
    fi
    WALL="$(calc "$t1 - $t0")"
    RSS="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TMP/time")"
}

# measure LOAD SIZE TOOL INPUT CMD...: one run; appends "load|size|tool|wall|RSS MiB" to RESULTS.
measure() {
    local load="$1" size="$2" tool="$3" input="$4"
    shift 4
    run_once "$input" "$@"
    printf '%s|%s|%s|%.2f|%.1f\n' "$load" "$size" "$tool" "$WALL" "$(calc "$RSS / 1024")" >>"$RESULTS"
    log "$(printf '%-18s %10s  %-30s %8.2f s %9.1f MiB' "$load" "$size" "$tool" "$WALL" "$(calc "$RSS / 1024")")"
}

# (a) scripts of N statements.
make_script() { # make_script N FILE
    awk -v n="$1" 'BEGIN {
        print "DROP TABLE IF EXISTS memory_load;"
        print "CREATE UNLOGGED TABLE memory_load (i integer PRIMARY KEY, t text);"
        for (i = 1; i <= n - 2; i++) {
            k = i % 4
            if (k == 1) printf "INSERT INTO memory_load VALUES (%d, md5(%d::text));\n", i, i
            else if (k == 2) printf "SELECT %d AS n, %d * 2 AS twice, '"'"'row %d'"'"' AS label;\n", i, i, i
            else if (k == 3) printf "UPDATE memory_load SET t = '"'"'updated'"'"' WHERE i = %d;\n", i - 2
            else printf "SELECT count(*) FROM memory_load WHERE i <= %d;\n", i
        }
    }' >"$2"
}

for n in "${statement_sizes[@]}"; do
    script="$TMP/script-$n.sql"
    make_script "$n" "$script"
    measure "script" "$n" "psql -f -" "$script" "$PSQL" -X -q -v ON_ERROR_STOP=1 "${CONN[@]}" -f -
    measure "script" "$n" "curate -f -" "$script" "$CURATE" -X -v ON_ERROR_STOP=1 "${CONN[@]}" -f -
done
"$PSQL" -X -q "${CONN[@]}" -c "DROP TABLE IF EXISTS memory_load"

# (b) streamed results.
for n in "${row_sizes[@]}"; do
    q="SELECT g, md5(g::text) FROM generate_series(1, $n) g"
    measure "rows, csv" "$n" "psql --csv" /dev/null "$PSQL" -X "${CONN[@]}" --csv -c "$q"
    measure "rows, csv" "$n" "psql --csv, FETCH_COUNT=1000" /dev/null "$PSQL" -X -v FETCH_COUNT=1000 "${CONN[@]}" --csv -c "$q"
    measure "rows, csv" "$n" "curate --csv" /dev/null "$CURATE" -X "${CONN[@]}" --csv -c "$q"
    measure "rows, aligned" "$n" "psql" /dev/null "$PSQL" -X "${CONN[@]}" -c "$q"
    measure "rows, aligned" "$n" "psql, FETCH_COUNT=1000" /dev/null "$PSQL" -X -v FETCH_COUNT=1000 "${CONN[@]}" -c "$q"
    measure "rows, aligned" "$n" "curate" /dev/null "$CURATE" -X "${CONN[@]}" -c "$q"
done

# --- report ----------------------------------------------------------------
field() { # field LOAD SIZE TOOL FIELD(4=wall,5=rss)
    awk -F'|' -v l="$1" -v s="$2" -v t="$3" -v f="$4" '$1 == l && $2 == s && $3 == t {print $f; exit}' "$RESULTS"
}

echo
echo "## Peak memory under load — $(date -u +%Y-%m-%d), $(nproc) cores, PostgreSQL $("$PSQL" -X -At "${CONN[@]}" -c 'SHOW server_version')"
echo
echo "| load | size | tool | wall s | peak RSS MiB |"
echo "| --- | ---: | --- | ---: | ---: |"
while IFS='|' read -r l s t w r; do
    echo "| $l | $s | \`$t\` | $w | $r |"
done <"$RESULTS"
echo
echo "Flat memory (curate's peak RSS at the largest size at most 16 MiB above the smallest):"
status=0
check_flat() { # check_flat LOAD TOOL SIZES...
    local load="$1" tool="$2" small large a b
    shift 2
    small="$1"
    large="${!#}"
    a="$(field "$load" "$small" "$tool" 5)"
    b="$(field "$load" "$large" "$tool" 5)"
    if holds "$b <= $a + 16"; then
        echo "- PASS: $load, \`$tool\`: $a MiB at $small, $b MiB at $large"
    else
        echo "- FAIL: $load, \`$tool\`: $a MiB at $small, $b MiB at $large"
        status=1
    fi
}
check_flat "script" "curate -f -" "${statement_sizes[@]}"
check_flat "rows, csv" "curate --csv" "${row_sizes[@]}"
check_flat "rows, aligned" "curate" "${row_sizes[@]}"
exit "$status"
