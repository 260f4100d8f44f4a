#!/usr/bin/env bash
# Benchmarks/plugins.sh — an external plugin (Python, Examples/external-python/curate_plugin.py)
# against curate's built-in path, in one run, on the same private server. Each side is timed
# inside its own process, so that process starts (Python's is slow and noisy) do not count:
#
#   round trip   `SELECT 1` 1,000 times: by the plugin (1,000 query requests, timed by the plugin
#                around its loop), and by curate itself (a script of 1,000 statements, each timed
#                by \timing). Per query: the total / 1,000.
#   streaming    100,000 rows of 4 columns (id, file name, timestamp, numeric): the plugin reads
#                every row (it counts them), timed from sending the query to the last row; curate
#                prints them with --csv (\timing: from sending the query to the last row written).
#   start        the wall time of a run of the plugin with no query, minus that of `-c 'SELECT 1'`:
#                what starting the plugin costs (for information; no target).
#   table        100,000 rows of 5 columns printed (aligned, to /dev/null): by the plugin, which
#                computes them and streams them to curate (table_begin, table_rows batches,
#                table_end), and by curate for the same rows as a query typed directly. Each is
#                the wall time of a run minus that of the same run printing no row (so process
#                starts do not count); curate's peak RSS (time -v) for the plugin's run.
#
# Targets (issue 6): the plugin's round trip adds at most 1 ms over the built-in one, and it
# streams at no less than half the built-in rate. Issue 16: the plugin's table prints in at most
# twice the time of the query typed directly, with at most 64 MiB resident in curate. Every
# figure is the median of --runs runs.
#
#   Benchmarks/plugins.sh [--runs N]        (default 7); release build
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
runs=7
queries=1000
rows=100000
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) runs="$2"; shift 2 ;;
        -h | --help) sed -n '2,20p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) echo "plugins.sh: unknown option $1" >&2; exit 2 ;;
    esac
done

# shellcheck source=Benchmarks/common.sh source-path=SCRIPTDIR/..
. "$ROOT/Benchmarks/common.sh"
bash scripts/install-deps.sh
command -v python3 >/dev/null || { echo "plugins.sh: python3 is needed for the plugin" >&2; exit 1; }
echo "plugins.sh: swift build -c release --static-swift-stdlib --product curate" >&2
build_release_curate

# shellcheck source=scripts/pgserver.sh source-path=SCRIPTDIR/..
. "$ROOT/scripts/pgserver.sh"
work="$(mktemp -d /tmp/curate-plugin-bench.XXXXXX)"
chmod 711 "$work"  # the server's user must reach its folder inside
trap 'pgserver_stop "$work/pg" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
pgserver_start "$work/pg" >/dev/null
"$PGSERVER_BINDIR/psql" -X -q -h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres -d postgres -c "CREATE DATABASE bench"

# The plugin folder: the helper module and a plugin that runs the two cases.
plugins="$work/plugins"
mkdir -m 700 "$plugins"
cp Examples/external-python/curate_plugin.py "$plugins/"
cat >"$plugins/curate-bench" <<'PYTHON'
#!/usr/bin/env python3
import os
import sys
import time
sys.dont_write_bytecode = True
from curate_plugin import Plugin

plugin = Plugin(version="1", summary="benchmark: round trips and streaming")

@plugin.command
def bench(ctx):
    case, count = ctx.arguments[0], int(ctx.arguments[1])
    started = time.perf_counter()
    if case == "roundtrip":
        for _ in range(count):
            ctx.query("SELECT 1")
    elif case == "table":
        # The rows of TABLE_QUERY, computed here and streamed: nothing is held but one batch.
        columns = [{"name": "id", "type": "int4"}, "filename", "path", {"name": "size", "type": "numeric"}, {"name": "even", "type": "bool"}]
        rows = ([g, f"N20240629S{g:06d}.fits", "dataflow/GN/20240629", f"{g * 1.5}", "f" if g % 2 else "t"] for g in range(1, count + 1))
        ctx.table(columns, rows)
        return
    else:
        seen = 0
        for _row in ctx.stream(os.environ["BENCH_QUERY"], [count]):
            seen += 1
        if seen != count:
            raise RuntimeError(f"{seen} rows, expected {count}")
    ctx.print(f"Time: {(time.perf_counter() - started) * 1000:.3f} ms")

plugin.run()
PYTHON
chmod 755 "$plugins/curate-bench"

QUERY="SELECT g AS id, 'N20240629S' || lpad(g::text, 6, '0') || '.fits' AS filename, timestamptz '2024-06-30 12:00+00' - g * interval '1 minute' AS lastmod, g * 1.5 AS size FROM generate_series(1, \$1::int) g"
export BENCH_QUERY="$QUERY"  # the plugin's environment comes from curate's
literal() { echo "${QUERY//\$1::int/$1}"; }
TABLE_QUERY="SELECT g AS id, 'N20240629S' || lpad(g::text, 6, '0') || '.fits' AS filename, 'dataflow/GN/20240629' AS path, g * 1.5 AS size, g % 2 = 0 AS even FROM generate_series(1, \$1::int) g"
table_literal() { echo "${TABLE_QUERY//\$1::int/$1}"; }
for _ in $(seq "$queries"); do echo "SELECT 1;"; done >"$work/selects.sql"
echo "SELECT 1;" >"$work/select-one.sql"

CONN=(-X -h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres -d bench)
holds() { awk "BEGIN { exit !($1) }"; }

run_or_die() {
    if ! "$@" 2>"$work/err"; then
        echo "plugins.sh: failed: $*" >&2
        cat "$work/err" >&2
        exit 1
    fi
}

# timed CMD...: the median over $runs runs of the sum of the "Time: X ms" lines CMD prints (ms).
timed() {
    local i totals=""
    for ((i = 0; i < runs; i++)); do
        totals+="$(run_or_die "$@" | grep -a '^Time: ' | awk '{ sum += $2 } END { printf "%.6f", sum }')"$'\n'
    done
    printf '%s' "$totals" | median
}

# wall CMD...: the median wall seconds of $runs runs, stdout to /dev/null.
wall() {
    local i t0 t1 walls=""
    for ((i = 0; i < runs; i++)); do
        t0="$(now)"
        run_or_die "$@" >/dev/null
        t1="$(now)"
        walls+="$(calc "$t1 - $t0")"$'\n'
    done
    printf '%s' "$walls" | median
}

plugin() { "$CURATE" "${CONN[@]}" --plugin-dir "$plugins" -c "\\bench $1 $2"; }

echo "plugins.sh: measuring (median of $runs runs each)" >&2
builtin_rt_ms="$(timed "$CURATE" "${CONN[@]}" -c '\timing on' -f "$work/selects.sql")"
plugin_rt_ms="$(timed plugin roundtrip "$queries")"
builtin_st_ms="$(timed "$CURATE" "${CONN[@]}" --csv -c '\timing on' -c "$(literal "$rows")")"
plugin_st_ms="$(timed plugin stream "$rows")"
builtin_start="$(wall "$CURATE" "${CONN[@]}" -c 'SELECT 1')"
plugin_start="$(wall plugin roundtrip 0)"

# The table case: wall of printing $rows rows minus wall of printing none, each side.
builtin_table="$(calc "$(wall "$CURATE" "${CONN[@]}" -c "$(table_literal "$rows")") - $(wall "$CURATE" "${CONN[@]}" -c "$(table_literal 0)")")"
plugin_table="$(calc "$(wall plugin table "$rows") - $(wall plugin table 0)")"
/usr/bin/time -v "$CURATE" "${CONN[@]}" --plugin-dir "$plugins" -c "\\bench table $rows" >/dev/null 2>"$work/time"
plugin_table_rss="$(awk -F': ' '/Maximum resident set size/ {print $2 / 1024}' "$work/time")"
/usr/bin/time -v "$CURATE" "${CONN[@]}" -c "$(table_literal "$rows")" >/dev/null 2>"$work/time"
builtin_table_rss="$(awk -F': ' '/Maximum resident set size/ {print $2 / 1024}' "$work/time")"
table_ratio="$(calc "$plugin_table / $builtin_table")"

builtin_rt_us="$(calc "$builtin_rt_ms / $queries * 1000")"
plugin_rt_us="$(calc "$plugin_rt_ms / $queries * 1000")"
added_us="$(calc "$plugin_rt_us - $builtin_rt_us")"
builtin_rate="$(calc "$rows / $builtin_st_ms * 1000")"
plugin_rate="$(calc "$rows / $plugin_st_ms * 1000")"
ratio="$(calc "$plugin_rate / $builtin_rate")"

printf '| case | built-in | external plugin (Python) |\n| --- | ---: | ---: |\n'
# shellcheck disable=SC2016 # backquotes are Markdown
printf '| `SELECT 1` round trip, µs per query (%s queries) | %.0f | %.0f |\n' "$queries" "$builtin_rt_us" "$plugin_rt_us"
printf '| %s rows streamed, ms | %.0f | %.0f |\n' "$rows" "$builtin_st_ms" "$plugin_st_ms"
printf '| %s rows streamed, rows/s | %.0f | %.0f |\n' "$rows" "$builtin_rate" "$plugin_rate"
printf '| wall of a run: curate with `-c '"'"'SELECT 1'"'"'`, the plugin with no query, ms | %.0f | %.0f |\n' \
    "$(calc "$builtin_start * 1000")" "$(calc "$plugin_start * 1000")"
printf '| %s rows × 5 columns printed (aligned), ms | %.0f | %.0f |\n' "$rows" "$(calc "$builtin_table * 1000")" "$(calc "$plugin_table * 1000")"
printf '| peak RSS of curate printing them, MiB | %.1f | %.1f |\n' "$builtin_table_rss" "$plugin_table_rss"
echo
verdict() { if holds "$1"; then echo PASS; else echo FAIL; fi; }
printf -- '- %s the plugin'"'"'s table prints in %.2f× the time of the query typed directly (target: at most 2)\n' "$(verdict "$table_ratio <= 2")" "$table_ratio"
printf -- '- %s curate'"'"'s peak RSS printing the plugin'"'"'s table is %.1f MiB (target: at most 64)\n' "$(verdict "$plugin_table_rss <= 64")" "$plugin_table_rss"
printf -- '- %s round trip adds %.0f µs over the built-in one (target: at most 1000 µs)\n' "$(verdict "$added_us <= 1000")" "$added_us"
printf -- '- %s streaming at %.2f of the built-in rate (target: at least 0.5)\n' "$(verdict "$ratio >= 0.5")" "$ratio"
printf -- '- starting the plugin costs %.0f ms (Python and the handshake; no target)\n' "$(calc "($plugin_start - $builtin_start) * 1000")"
