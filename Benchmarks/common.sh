# Benchmarks/common.sh — what every benchmark script needs, sourced after ROOT is set:
# swift on PATH, timing and arithmetic, the median, the sample's fingerprint and a release
# build of curate.

if ! command -v swift >/dev/null 2>&1 && [ -x /opt/swift/usr/bin/swift ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
fi

# Seconds since the epoch, with microseconds.
now() { echo "${EPOCHREALTIME/[,]/.}"; }

# Arithmetic: calc "1.5 * 2".
calc() { awk "BEGIN { print $1 }"; }

# The median of the arguments, or of standard input's lines when there are none (the mean of
# the middle two for an even count).
median() {
    if [ $# -gt 0 ]; then printf '%s\n' "$@"; else cat; fi |
        sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'
}

# Names the sample's size and SQL: a loaded data folder is reused only while it is the same.
sample_fingerprint() { # sample_fingerprint SIZE
    echo "size=$1 $(cat "$ROOT/Sample/fitsstorage-schema.sql" "$ROOT/Sample/fitsstorage-seed.sql" | sha256sum | cut -d' ' -f1)"
}

# run.sh's script cases load tables of their own into the sample database: created before those
# cases and dropped after them, so that the database other benchmarks dump or check is the sample
# alone (also after a run.sh that was interrupted).
script_tables() { # script_tables create|drop PSQL CONNECTION-ARGUMENTS...
    local action="$1" psql="$2"
    shift 2
    if [ "$action" = create ]; then
        "$psql" -X -q "$@" -c "CREATE TABLE IF NOT EXISTS diskfile_load (LIKE diskfile)" \
            -c "CREATE TABLE IF NOT EXISTS bench_big (n int, s text)" -c "CREATE TABLE IF NOT EXISTS bench_small (n int)"
    else
        "$psql" -X -q "$@" -c "DROP TABLE IF EXISTS diskfile_load, bench_big, bench_small"
    fi
}

# Sets CURATE: $CURATE_BIN when given, else a release build (Swift runtime linked statically,
# in $CURATE_SCRATCH_PATH when set). Build output goes to standard error.
build_release_curate() {
    if [ -n "${CURATE_BIN:-}" ]; then
        CURATE="$CURATE_BIN"
        return
    fi
    local scratch=()
    if [ -n "${CURATE_SCRATCH_PATH:-}" ]; then scratch=(--scratch-path "$CURATE_SCRATCH_PATH"); fi
    (cd "$ROOT" && swift build -c release --static-swift-stdlib --product curate "${scratch[@]}" >&2)
    CURATE="$(cd "$ROOT" && swift build -c release --static-swift-stdlib --show-bin-path "${scratch[@]}")/curate"
}

# Starts the server of data folder PGDIR (scripts/pgserver.sh sourced) holding the sample at SIZE
# files in database DB, loading it first when the folder holds another sample or none.
start_sample_server() { # start_sample_server PGDIR DB SIZE PSQL
    local pgdir="$1" db="$2" size="$3" psql="$4" fingerprint
    fingerprint="$(sample_fingerprint "$size")"
    if [ -f "$pgdir/loaded" ] && [ "$(cat "$pgdir/loaded")" = "$fingerprint" ]; then
        pgserver_start "$pgdir" >/dev/null
        return
    fi
    rm -rf "$pgdir"
    pgserver_start "$pgdir" >/dev/null
    echo "loading the sample at size $size into $pgdir" >&2
    local conn=(-X -q -h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres)
    "$psql" "${conn[@]}" -d postgres -c "CREATE DATABASE $db"
    "$psql" "${conn[@]}" -v ON_ERROR_STOP=1 -d "$db" -f "$ROOT/Sample/fitsstorage-schema.sql"
    "$psql" "${conn[@]}" -v ON_ERROR_STOP=1 -v size="$size" -d "$db" -f "$ROOT/Sample/fitsstorage-seed.sql"
    "$psql" "${conn[@]}" -d "$db" -c "VACUUM ANALYZE" -c "CHECKPOINT"
    echo "$fingerprint" >"$pgdir/loaded"
}
