#!/usr/bin/env bash
# install-test-tools.sh — the tools outside Swift that the report and metrics tests use:
#   - chromium (Debian's package): the headless browser the HTML report test loads the report in;
#     installed with apt-get when missing (as root; otherwise the apt-get line is printed, exit 1);
#   - prometheus_client (PyPI): the OpenMetrics and Prometheus text parsers the metrics test reads
#     `\check --format prometheus` with; pip-installed with --target into .build-tools/python in
#     the repository (no virtual environment, nothing system-wide), only when it does not import
#     from there already.
# Prints the two export lines the tests read (scripts/test evals them):
#   export CURATE_TEST_CHROMIUM=... ; export CURATE_TEST_PYTHONPATH=...
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$ROOT/.build-tools/python"

# Debian's chromium, and a python3 with pip for the --target install.
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
python=""
for candidate in /usr/bin/python3 python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -m pip --version >/dev/null 2>&1; then
        python="$candidate"
        break
    fi
done
[ -n "$python" ] || needed+=(python3-pip)
if [ "${#needed[@]}" -gt 0 ]; then
    bash "$ROOT/scripts/install-deps.sh" "${needed[@]}" >&2
    [ -n "$python" ] || python=/usr/bin/python3
fi

if ! PYTHONPATH="$target" "$python" -c 'import prometheus_client.openmetrics.parser' >/dev/null 2>&1; then
    echo "install-test-tools: pip install --target $target prometheus_client" >&2
    rm -rf "$target"
    PIP_ROOT_USER_ACTION=ignore PIP_DISABLE_PIP_VERSION_CHECK=1 "$python" -m pip install --quiet --no-input --target "$target" prometheus_client >&2
fi

printf 'export CURATE_TEST_CHROMIUM=%q\n' "$(command -v chromium)"
printf 'export CURATE_TEST_PYTHONPATH=%q\n' "$target"
