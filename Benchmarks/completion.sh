#!/usr/bin/env bash
# Benchmarks/completion.sh — Tab completion from the catalog cache on a database of 1,000
# tables of 20 columns: the time curate takes to find the candidates (target: under 50 ms),
# side by side with psql's own completion query for table names run on the same server.
#
#   Benchmarks/completion.sh [--runs N]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
runs=20
[ "${1:-}" = "--runs" ] && runs="$2"

bash scripts/install-deps.sh
swift build -c release --static-swift-stdlib --product curate >&2
CURATE="$ROOT/.build/release/curate"
# shellcheck source=scripts/pgserver.sh
. "$ROOT/scripts/pgserver.sh"
work="$(mktemp -d /tmp/curate-complete-bench.XXXXXX)"
trap 'pgserver_stop "$work" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
pgserver_start "$work" >/dev/null
PSQL=("$PGSERVER_BINDIR/psql" -X -q -h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres)
"${PSQL[@]}" -d postgres -c "CREATE DATABASE wide" >/dev/null
"${PSQL[@]}" -d wide -c "DO \$\$ BEGIN FOR i IN 1..1000 LOOP
    EXECUTE format('CREATE TABLE observation_%s (%s)', i,
        (SELECT string_agg(format('column_%s_%s int', i, j), ', ') FROM generate_series(1, 20) j));
  END LOOP; END \$\$" >/dev/null

cases=("select * from observation_99" "select column_5 from observation_500 where colu" "sel")
printf '| text before Tab | candidates | curate: median of %s (ms) |\n| --- | ---: | ---: |\n' "$runs"
for text in "${cases[@]}"; do
    args=(-X -h "$PGSERVER_SOCKDIR" -p "$PGSERVER_PORT" -U postgres -d wide -c '\refresh')
    for _ in $(seq "$runs"); do args+=(-c "\\complete '$text'"); done
    timings="$("$CURATE" "${args[@]}" 2>&1 >/dev/null | sed -n 's/^(\([0-9]*\) candidates in \([0-9.]*\) ms)$/\1 \2/p')"
    count="$(echo "$timings" | head -1 | cut -d' ' -f1)"
    median="$(echo "$timings" | cut -d' ' -f2 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')"
    printf '| `%s` | %s | %s |\n' "$text" "$count" "$median"
done
start=$(date +%s%N)
"${PSQL[@]}" -d wide -Atc "SELECT c.relname FROM pg_catalog.pg_class c WHERE c.relkind IN ('r','p') AND substring(c.relname,1,14)='observation_99' AND pg_catalog.pg_table_is_visible(c.oid) LIMIT 1000" >/dev/null
end=$(date +%s%N)
echo
echo "psql's completion asks the server at each Tab (its table-name query, as above, with process start): $(( (end - start) / 1000000 )) ms"
