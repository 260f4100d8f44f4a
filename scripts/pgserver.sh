#!/usr/bin/env bash
# pgserver.sh — a throwaway, private PostgreSQL server for the demo, the tests
# and the benchmarks. It never touches a system cluster: everything lives in
# DIR (data in DIR/data, server log in DIR/log) plus a short socket folder
# under /tmp (a unix socket path must stay under ~107 bytes, so never under the
# project folder). The server listens on that unix socket only.
#
# Called:
#   scripts/pgserver.sh start DIR    initdb if needed, start; prints the socket dir
#   scripts/pgserver.sh stop DIR     stop (if running), remove the socket dir
#   scripts/pgserver.sh status DIR   exit 0 when running (prints the socket dir)
#   scripts/pgserver.sh sockdir DIR  prints the socket dir of a running server
#   scripts/pgserver.sh port         prints the port (PGSERVER_PORT, default 5432)
#   scripts/pgserver.sh bindir       prints the PostgreSQL server binary folder
# Sourced (". scripts/pgserver.sh"): defines pgserver_start / pgserver_stop /
#   pgserver_status / pgserver_bindir; pgserver_start exports PGSERVER_SOCKDIR,
#   PGSERVER_PORT and PGSERVER_BINDIR.
#
# Environment:
#   PGSERVER_PORT  port number (only names the socket file; default 5432)
#   PGSERVER_OPTS  extra server options, e.g. "-c shared_buffers=256MB"
#   PG_BINDIR      folder holding initdb/pg_ctl (default: pg_config --bindir,
#                  else the newest /usr/lib/postgresql/*/bin)
#
# PostgreSQL refuses to run as root: when run as root, initdb and pg_ctl run as
# the `postgres` system user (runuser) and DIR and the socket dir are chowned
# to it. Otherwise they run as the current user. Authentication is "trust" and
# the superuser is named postgres.

# Pure helpers only at file level: safe to source from a `set -euo pipefail` script.

pgserver__die() {
    echo "pgserver: $*" >&2
    return 1
}

pgserver__is_root() {
    [ "$(id -u)" -eq 0 ]
}

# Runs a command as the server's owner: `postgres` when we are root, else ourselves.
pgserver__as_owner() {
    if pgserver__is_root; then
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}

pgserver_bindir() {
    local dir candidate
    if [ -n "${PG_BINDIR:-}" ]; then
        [ -x "$PG_BINDIR/initdb" ] || { pgserver__die "PG_BINDIR=$PG_BINDIR has no initdb"; return 1; }
        echo "$PG_BINDIR"
        return 0
    fi
    if command -v pg_config >/dev/null 2>&1; then
        dir="$(pg_config --bindir 2>/dev/null || true)"
        if [ -n "$dir" ] && [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    fi
    # The newest major version among the Debian/Ubuntu layout's folders.
    dir=""
    while read -r candidate; do
        if [ -x "$candidate/initdb" ] && [ -x "$candidate/pg_ctl" ]; then
            dir="$candidate"
        fi
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
    if [ -n "$dir" ]; then
        echo "$dir"
        return 0
    fi
    pgserver__die "no PostgreSQL server binaries found (initdb, pg_ctl): run scripts/install-deps.sh"
}

pgserver_port() {
    echo "${PGSERVER_PORT:-5432}"
}

# Absolute path of DIR (it need not exist yet).
pgserver__abspath() {
    case "$1" in
        /*) echo "$1" ;;
        *) echo "$PWD/$1" ;;
    esac
}

pgserver__pg_ctl_status() {
    local bindir="$1" data="$2"
    [ -f "$data/postmaster.pid" ] || return 1
    pgserver__as_owner "$bindir/pg_ctl" -D "$data" status >/dev/null 2>&1
}

# pgserver_status DIR: exit 0 and print the socket dir when the server of DIR runs.
pgserver_status() {
    local dir bindir
    [ $# -eq 1 ] || { pgserver__die "usage: status DIR"; return 2; }
    dir="$(pgserver__abspath "$1")"
    bindir="$(pgserver_bindir)" || return 1
    if pgserver__pg_ctl_status "$bindir" "$dir/data" && [ -f "$dir/sockdir" ]; then
        cat "$dir/sockdir"
        return 0
    fi
    return 1
}

# pgserver_start DIR: creates the cluster on first use, starts it, prints the socket dir.
pgserver_start() {
    local dir bindir data sockdir port opts
    [ $# -eq 1 ] || { pgserver__die "usage: start DIR"; return 2; }
    dir="$(pgserver__abspath "$1")"
    data="$dir/data"
    port="$(pgserver_port)"
    bindir="$(pgserver_bindir)" || return 1

    if pgserver__is_root; then
        id -u postgres >/dev/null 2>&1 || {
            pgserver__die "running as root but there is no 'postgres' system user (install the postgresql package)"
            return 1
        }
    fi

    # Already running (e.g. a second start): reuse it.
    if pgserver__pg_ctl_status "$bindir" "$data" && [ -f "$dir/sockdir" ] \
        && [ -S "$(cat "$dir/sockdir")/.s.PGSQL.$port" ]; then
        sockdir="$(cat "$dir/sockdir")"
        export PGSERVER_SOCKDIR="$sockdir" PGSERVER_PORT="$port" PGSERVER_BINDIR="$bindir"
        echo "$sockdir"
        return 0
    fi

    mkdir -p "$dir"
    if pgserver__is_root; then
        chown postgres: "$dir"
        chmod 700 "$dir"
        # The postgres user must be able to reach DIR through every parent folder.
        if ! runuser -u postgres -- test -w "$dir"; then
            pgserver__die "user postgres cannot reach $dir (a parent folder is not searchable: chmod o+x it, or use a folder under /tmp)"
            return 1
        fi
    fi

    if [ ! -f "$data/PG_VERSION" ]; then
        if [ -e "$data" ] && [ -n "$(ls -A "$data" 2>/dev/null)" ]; then
            pgserver__die "$data exists but holds no cluster; remove it"
            return 1
        fi
        echo "pgserver: initdb into $data" >&2
        pgserver__as_owner "$bindir/initdb" --no-sync -A trust -E UTF8 --locale=C.UTF-8 \
            --username=postgres -D "$data" >"$dir/initdb.log" 2>&1 || {
            cat "$dir/initdb.log" >&2
            pgserver__die "initdb failed"
            return 1
        }
    fi

    # A fresh short socket folder for each start (the old one may be gone, e.g. after a reboot).
    if [ -f "$dir/sockdir" ]; then
        pgserver__remove_sockdir "$(cat "$dir/sockdir")"
        rm -f "$dir/sockdir"
    fi
    sockdir="$(mktemp -d /tmp/curate-pg.XXXXXX)"
    if pgserver__is_root; then
        chown postgres: "$sockdir"
    fi
    echo "$sockdir" >"$dir/sockdir"
    if pgserver__is_root; then
        chown postgres: "$dir/sockdir"
    fi

    opts="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    opts="$opts -c listen_addresses='' -k $sockdir -p $port"
    opts="$opts -c timezone=UTC -c log_timezone=UTC -c max_wal_size=2GB"
    opts="$opts ${PGSERVER_OPTS:-}"
    if ! pgserver__as_owner "$bindir/pg_ctl" -D "$data" -l "$dir/log" -w -t 120 \
        -o "$opts" start >/dev/null; then
        tail -n 30 "$dir/log" >&2 || true
        pgserver__remove_sockdir "$sockdir"
        rm -f "$dir/sockdir"
        pgserver__die "server did not start (log: $dir/log)"
        return 1
    fi
    export PGSERVER_SOCKDIR="$sockdir" PGSERVER_PORT="$port" PGSERVER_BINDIR="$bindir"
    echo "$sockdir"
}

# Removes a socket folder this script made (only /tmp/curate-pg.* ones).
pgserver__remove_sockdir() {
    case "$1" in
        /tmp/curate-pg.?*) rm -rf -- "$1" ;;
        *) ;;
    esac
}

# pgserver_stop DIR: stops the server of DIR if it runs; removes its socket folder.
pgserver_stop() {
    local dir bindir data
    [ $# -eq 1 ] || { pgserver__die "usage: stop DIR"; return 2; }
    dir="$(pgserver__abspath "$1")"
    data="$dir/data"
    bindir="$(pgserver_bindir)" || return 1
    if pgserver__pg_ctl_status "$bindir" "$data"; then
        pgserver__as_owner "$bindir/pg_ctl" -D "$data" -m fast -w -t 60 stop >/dev/null \
            || pgserver__as_owner "$bindir/pg_ctl" -D "$data" -m immediate -w -t 60 stop >/dev/null \
            || { pgserver__die "could not stop the server in $data"; return 1; }
    fi
    if [ -f "$dir/sockdir" ]; then
        pgserver__remove_sockdir "$(cat "$dir/sockdir")"
        rm -f "$dir/sockdir"
    fi
    return 0
}

pgserver__main() {
    set -euo pipefail
    local cmd="${1:-}"
    shift || true
    case "$cmd" in
        start) pgserver_start "$@" ;;
        stop) pgserver_stop "$@" ;;
        status) pgserver_status "$@" ;;
        sockdir) pgserver_status "$@" ;;
        port) pgserver_port ;;
        bindir) pgserver_bindir ;;
        *)
            echo "usage: $0 start DIR | stop DIR | status DIR | sockdir DIR | port | bindir" >&2
            return 2
            ;;
    esac
}

# Run main only when executed, not when sourced.
if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    pgserver__main "$@"
fi
