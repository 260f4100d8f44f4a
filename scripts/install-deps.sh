#!/usr/bin/env bash
# install-deps.sh — makes sure the Debian packages curate needs to build, test
# and run its demo are installed: libpq-dev, libedit-dev, zlib1g-dev (build), postgresql,
# postgresql-contrib (private test/demo servers), pgbackrest (the physical backup engine
# behind `\backup --engine pgbackrest`). A no-op when all are present.
# As root it installs what is missing with apt-get; otherwise it prints the
# exact sudo apt-get line and exits 1. It also checks that `swift` is on PATH.
#
# Extra Debian packages can be asked for as arguments (the benchmark asks for
# `time`): scripts/install-deps.sh time
set -euo pipefail

packages=(libpq-dev libedit-dev zlib1g-dev postgresql postgresql-contrib pgbackrest "$@")

missing=()
for pkg in "${packages[@]}"; do
    status="$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)"
    if [ "$status" != "installed" ]; then
        missing+=("$pkg")
    fi
done

if [ "${#missing[@]}" -gt 0 ]; then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "install-deps: missing packages: ${missing[*]} (and no apt-get here: install them with your package manager)" >&2
        exit 1
    fi
    if [ "$(id -u)" -eq 0 ]; then
        echo "install-deps: installing ${missing[*]}" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update
        apt-get install -y "${missing[@]}"
    else
        echo "install-deps: missing Debian packages: ${missing[*]}" >&2
        echo "Run:" >&2
        echo "sudo apt-get update && sudo apt-get install -y ${missing[*]}"
        exit 1
    fi
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "install-deps: 'swift' is not on PATH. Install a Swift 6 toolchain (https://www.swift.org/install/linux/)" >&2
    echo "and put its usr/bin on PATH, e.g. export PATH=/opt/swift/usr/bin:\$PATH" >&2
    exit 1
fi
