#!/usr/bin/env bash
# Benchmarks/run.sh — curate against psql on the benchmark-size sample archive.
#
#   Benchmarks/run.sh                  everything (builds curate in release)
#   Benchmarks/run.sh --psql-only      only the psql half (no curate build)
#   Options: --size N (files, default 1000000 -> ~1.21M diskfile rows),
#            --runs N (default 3), --startup-runs N (default 20), --keep-running
#
# It starts its own throwaway server (scripts/pgserver.sh) in
# Benchmarks/.work/pg-SIZE; the loaded data folder is kept there, so a rerun
# skips the load (it reloads when the sample's SQL files change). Each case runs
# under /usr/bin/time -v (Debian package `time`, installed when missing) with
# output to /dev/null: wall time from the shell clock, peak RSS from time -v.
# Every case is measured --runs times and the median is reported (COPY and the scripts in turns:
# psql, curate, psql, ..., so that load changes hit both alike); startup is
# measured --startup-runs times. Prints a Markdown table and the targets:
#   curate --csv: wall <= psql --csv wall, and peak RSS <= 64 MiB
#   curate aligned: wall <= 2.5 s
#   curate -P format=wrapped (columns 160): wall <= psql wrapped with FETCH_COUNT=1000, RSS <= 64 MiB
#   curate -c 'select 1' startup: <= 1.5 x psql's
#   COPY diskfile TO STDOUT (-c) and FROM STDIN (-f, the csv inline), one ~50 MB INSERT (one line) and a
#   script of 100,000 INSERTs (-f): curate's wall <= psql's; COPY: peak RSS <= 64 MiB
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="$ROOT/Benchmarks/.work"

size=1000000
runs=3
startup_runs=20
psql_only=0
keep_running=0
while [ $# -gt 0 ]; do
    case "$1" in
        --size) size="$2"; shift 2 ;;
        --runs) runs="$2"; shift 2 ;;
        --startup-runs) startup_runs="$2"; shift 2 ;;
        --psql-only) psql_only=1; shift ;;
        --keep-running) keep_running=1; shift ;;
        -h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

# shellcheck source=Benchmarks/common.sh source-path=SCRIPTDIR/..
. "$ROOT/Benchmarks/common.sh"
if [ "$psql_only" -eq 1 ]; then
    # swift is not needed for the psql half
    bash "$ROOT/scripts/install-deps.sh" time || command -v /usr/bin/time >/dev/null
else
    bash "$ROOT/scripts/install-deps.sh" time
fi
[ -x /usr/bin/time ] || { echo "run.sh: /usr/bin/time missing (Debian package time)" >&2; exit 1; }

# shellcheck source=scripts/pgserver.sh source-path=SCRIPTDIR/..
. "$ROOT/scripts/pgserver.sh"

BINDIR="$(pgserver_bindir)"
PSQL="$BINDIR/psql"
CURATE="$ROOT/.build/release/curate"
PGDIR="$WORK/pg-$size"
DB=fitsdata

log() { echo "run.sh: $*" >&2; }

holds() { awk "BEGIN { exit !($1) }"; }       # holds "1 <= 2"

# --- server and data -------------------------------------------------------
mkdir -p "$WORK"
fingerprint="$(sample_fingerprint "$size")"

cleanup() {
    if [ "$keep_running" -eq 0 ]; then
        pgserver_stop "$PGDIR" || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [ -f "$PGDIR/loaded" ] && [ "$(cat "$PGDIR/loaded")" = "$fingerprint" ]; then
    log "reusing the loaded sample in $PGDIR"
    pgserver_start "$PGDIR" >/dev/null
else
    if [ -d "$PGDIR" ]; then
        log "sample changed or load incomplete: reloading"
        pgserver_stop "$PGDIR" || true
        rm -rf "$PGDIR"
    fi
    pgserver_start "$PGDIR" >/dev/null
    log "loading the sample at size $size (schema + seed)"
    t0="$(now)"
    "$PSQL" -X -q -h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres -d postgres \
        -c "CREATE DATABASE $DB"
    "$PSQL" -X -q -v ON_ERROR_STOP=1 -h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres -d "$DB" \
        -f "$ROOT/Sample/fitsstorage-schema.sql"
    "$PSQL" -X -q -v ON_ERROR_STOP=1 -v size="$size" -h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" \
        -U postgres -d "$DB" -f "$ROOT/Sample/fitsstorage-seed.sql"
    t1="$(now)"
    # CHECKPOINT so that a reused folder starts without WAL replay work.
    "$PSQL" -X -q -h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres -d "$DB" -c "CHECKPOINT"
    echo "$fingerprint" >"$PGDIR/loaded"
    log "$(printf 'loaded in %.1f s' "$(calc "$t1 - $t0")")"
fi
SOCK="$PGSERVER_SOCKDIR"
PORT="$PGSERVER_PORT"
CONN=(-h "$SOCK" -p "$PORT" -U postgres -d "$DB")
rows="$("$PSQL" -X -At "${CONN[@]}" -c 'SELECT count(*) FROM diskfile')"
log "diskfile has $rows rows"

# --- curate ----------------------------------------------------------------
if [ "$psql_only" -eq 0 ]; then
    log "building curate (release)"
    (cd "$ROOT" && swift build -c release --static-swift-stdlib --product curate)
    [ -x "$CURATE" ] || { log "no $CURATE after the build"; exit 1; }
fi

# --- measuring -------------------------------------------------------------
TIMEFILE="$(mktemp)"
RESULTS="$(mktemp)"
trap 'rm -f "$TIMEFILE" "$RESULTS"; cleanup' EXIT

# run_once CMD...: runs CMD with stdout to /dev/null; sets WALL (s) and RSS (KiB).
run_once() {
    local t0 t1
    t0="$(now)"
    if ! /usr/bin/time -v -o "$TIMEFILE" "$@" >/dev/null 2>"$TIMEFILE.err"; then
        log "command failed: $*"
        cat "$TIMEFILE.err" >&2
        rm -f "$TIMEFILE.err"
        exit 1
    fi
    t1="$(now)"
    rm -f "$TIMEFILE.err"
    WALL="$(calc "$t1 - $t0")"
    RSS="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$TIMEFILE")"
}


# record CASE TOOL WALLS RSSES: appends "case|tool|median wall|median RSS MiB" to RESULTS.
record() {
    local w r
    w="$(printf '%s' "$3" | median)"
    r="$(printf '%s' "$4" | median)"
    printf '%s|%s|%.3f|%.1f\n' "$1" "$2" "$w" "$(calc "$r / 1024")" >>"$RESULTS"
    log "$(printf '%-22s %-32s %8.3f s %8.1f MiB' "$1" "$2" "$w" "$(calc "$r / 1024")")"
}

# measure CASE TOOL N CMD...: N runs, recorded.
measure() {
    local name="$1" tool="$2" n="$3" i walls="" rsses=""
    shift 3
    for ((i = 0; i < n; i++)); do
        run_once "$@"
        walls+="$WALL"$'\n'
        rsses+="$RSS"$'\n'
    done
    record "$name" "$tool" "$walls" "$rsses"
}

# measure_alternating CASE PSQL-TOOL CURATE-TOOL N: the commands in the arrays P_CMD and C_CMD,
# in turns (psql, curate, psql, ...), so that a change in the machine's load hits both alike;
# both recorded. With --psql-only, psql's alone.
measure_alternating() {
    local name="$1" ptool="$2" ctool="$3" n="$4" i pw="" pr="" cw="" cr=""
    for ((i = 0; i < n; i++)); do
        run_once "${P_CMD[@]}"
        pw+="$WALL"$'\n'
        pr+="$RSS"$'\n'
        if [ "$psql_only" -eq 0 ]; then
            run_once "${C_CMD[@]}"
            cw+="$WALL"$'\n'
            cr+="$RSS"$'\n'
        fi
    done
    record "$name" "$ptool" "$pw" "$pr"
    if [ "$psql_only" -eq 0 ]; then record "$name" "$ctool" "$cw" "$cr"; fi
}

Q='SELECT * FROM diskfile'

# Warm the buffer cache once so the first measured tool is not penalised.
"$PSQL" -X "${CONN[@]}" --csv -c "$Q" >/dev/null

if [ "$psql_only" -eq 0 ]; then
    # Same number of CSV lines from both, or the comparison means nothing.
    p_lines="$("$PSQL" -X "${CONN[@]}" --csv -c "$Q" | wc -l)"
    c_lines="$("$CURATE" -X "${CONN[@]}" --csv -c "$Q" | wc -l)"
    if [ "$p_lines" != "$c_lines" ]; then
        log "WARNING: psql --csv printed $p_lines lines, curate --csv $c_lines"
    fi
fi

measure "csv, $rows rows" "psql --csv" "$runs" "$PSQL" -X "${CONN[@]}" --csv -c "$Q"
if [ "$psql_only" -eq 0 ]; then
    measure "csv, $rows rows" "curate --csv" "$runs" "$CURATE" -X "${CONN[@]}" --csv -c "$Q"
fi
measure "aligned, $rows rows" "psql -v FETCH_COUNT=1000" "$runs" \
    "$PSQL" -X -v FETCH_COUNT=1000 "${CONN[@]}" -c "$Q"
if [ "$psql_only" -eq 0 ]; then
    measure "aligned, $rows rows" "curate" "$runs" "$CURATE" -X "${CONN[@]}" -c "$Q"
fi
# \pset format wrapped at a fixed width (a script has no terminal to take it from).
P_CMD=("$PSQL" -X -v FETCH_COUNT=1000 -P format=wrapped -P columns=160 "${CONN[@]}" -c "$Q")
C_CMD=("$CURATE" -X -P format=wrapped -P columns=160 "${CONN[@]}" -c "$Q")
measure_alternating "wrapped, $rows rows" "psql -v FETCH_COUNT=1000 -P format=wrapped" "curate -P format=wrapped" "$runs"
measure "startup (select 1)" "psql -X -c 'select 1'" "$startup_runs" \
    "$PSQL" -X "${CONN[@]}" -c 'select 1'
if [ "$psql_only" -eq 0 ]; then
    measure "startup (select 1)" "curate -X -c 'select 1'" "$startup_runs" \
        "$CURATE" -X "${CONN[@]}" -c 'select 1'
fi

# --- scripts: COPY both ways, one very large statement, many small ones -----
# The inputs are made once into $WORK/scripts-SIZE (kept, like the data). Each script empties its
# own table first, so every run does the same work; both tools run the same file with -f.
SCRIPTS="$WORK/scripts-$size"
if [ ! -f "$SCRIPTS/ready" ] || [ "$(cat "$SCRIPTS/ready")" != "$fingerprint scripts-2" ]; then
    log "making the script inputs in $SCRIPTS"
    rm -rf "$SCRIPTS"
    mkdir -p "$SCRIPTS"
    {
        printf 'TRUNCATE diskfile_load;\nCOPY diskfile_load FROM STDIN WITH (FORMAT csv);\n'
        "$PSQL" -X "${CONN[@]}" -c "COPY diskfile TO STDOUT WITH (FORMAT csv)"
        printf '\\.\n'
    } >"$SCRIPTS/copy-in.sql"
    # One INSERT of about 50 MB on one line (the hard case for a line reader): 400,000 rows of
    # 120-byte strings.
    awk 'BEGIN {
        print "TRUNCATE bench_big;"; printf "INSERT INTO bench_big (n, s) VALUES "
        pad = sprintf("%0100d", 0)
        for (i = 1; i <= 400000; i++) printf "(%d, '\''row %08d %s'\'')%s", i, i, pad, (i < 400000 ? "," : ";\n")
    }' >"$SCRIPTS/big-statement.sql"
    awk 'BEGIN { print "TRUNCATE bench_small;"; for (i = 1; i <= 100000; i++) printf "INSERT INTO bench_small VALUES (%d);\n", i }' \
        >"$SCRIPTS/small-statements.sql"
    echo "$fingerprint scripts-2" >"$SCRIPTS/ready"
fi
script_tables create "$PSQL" "${CONN[@]}"
big_mb="$(calc "$(stat -c %s "$SCRIPTS/big-statement.sql") / 1048576")"
script_case() { # script_case NAME FILE
    P_CMD=("$PSQL" -X -v ON_ERROR_STOP=1 "${CONN[@]}" -f "$2")
    C_CMD=("$CURATE" -X "${CONN[@]}" -f "$2")
    measure_alternating "$1" "psql -f" "curate -f" "$runs"
}
P_CMD=("$PSQL" -X "${CONN[@]}" -c "COPY diskfile TO STDOUT WITH (FORMAT csv)")
C_CMD=("$CURATE" -X "${CONN[@]}" -c "COPY diskfile TO STDOUT WITH (FORMAT csv)")
measure_alternating "COPY TO STDOUT, $rows rows" "psql" "curate" "$runs"
script_case "COPY FROM STDIN, $rows rows" "$SCRIPTS/copy-in.sql"
script_case "one statement of $(printf '%.0f' "$big_mb") MB" "$SCRIPTS/big-statement.sql"
script_case "100,000 statements" "$SCRIPTS/small-statements.sql"
script_tables drop "$PSQL" "${CONN[@]}"

# --- report ----------------------------------------------------------------
value() { # value CASE-PREFIX TOOL-PREFIX FIELD(3=wall,4=rss)
    awk -F'|' -v c="$1" -v t="$2" -v f="$3" 'index($1, c) == 1 && index($2, t) == 1 {print $f; exit}' "$RESULTS"
}
verdict() { if holds "$1"; then echo "PASS"; else echo "FAIL"; fi; }

echo
echo "## curate vs psql — $rows diskfile rows, median of $runs runs (startup: $startup_runs)"
echo
echo "| case | tool | wall s | peak RSS MiB |"
echo "| --- | --- | ---: | ---: |"
while IFS='|' read -r c t w r; do
    echo "| $c | \`$t\` | $w | $r |"
done <"$RESULTS"
echo
echo "Targets:"
pc_wall="$(value csv "psql" 3)"
pa_wall="$(value aligned "psql" 3)"
ps_wall="$(value startup "psql" 3)"
if [ "$psql_only" -eq 1 ]; then
    echo "- curate --csv wall <= psql --csv wall ($pc_wall s) and peak RSS <= 64 MiB: not measured (--psql-only)"
    echo "- curate aligned wall <= 2.5 s (psql with FETCH_COUNT=1000: $pa_wall s): not measured (--psql-only)"
    echo "- curate startup <= 1.5 x psql startup ($ps_wall s -> $(printf '%.3f' "$(calc "$ps_wall * 1.5")") s): not measured (--psql-only)"
else
    cc_wall="$(value csv "curate" 3)"
    cc_rss="$(value csv "curate" 4)"
    ca_wall="$(value aligned "curate" 3)"
    cs_wall="$(value startup "curate" 3)"
    echo "- $(verdict "$cc_wall <= $pc_wall") curate --csv wall $cc_wall s <= psql --csv $pc_wall s"
    echo "- $(verdict "$cc_rss <= 64") curate --csv peak RSS $cc_rss MiB <= 64 MiB"
    echo "- $(verdict "$ca_wall <= 2.5") curate aligned wall $ca_wall s <= 2.5 s (psql with FETCH_COUNT=1000: $pa_wall s)"
    echo "- $(verdict "$cs_wall <= $ps_wall * 1.5") curate startup $cs_wall s <= 1.5 x psql $ps_wall s"
    pw_wall="$(value wrapped "psql" 3)"
    cw_wall="$(value wrapped "curate" 3)"
    cw_rss="$(value wrapped "curate" 4)"
    echo "- $(verdict "$cw_wall <= $pw_wall") curate wrapped wall $cw_wall s <= psql wrapped (FETCH_COUNT=1000) $pw_wall s"
    echo "- $(verdict "$cw_rss <= 64") curate wrapped peak RSS $cw_rss MiB <= 64 MiB"
    for c in "COPY TO STDOUT" "COPY FROM STDIN" "one statement" "100,000 statements"; do
        p_wall="$(value "$c" "psql" 3)"
        c_wall="$(value "$c" "curate" 3)"
        c_rss="$(value "$c" "curate" 4)"
        echo "- $(verdict "$c_wall <= $p_wall") $c: curate $c_wall s <= psql $p_wall s"
        case "$c" in COPY*) echo "- $(verdict "$c_rss <= 64") $c: curate peak RSS $c_rss MiB <= 64 MiB" ;; esac
    done
fi
