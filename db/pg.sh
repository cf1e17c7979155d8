#!/usr/bin/env bash
# db/pg.sh — a private PostgreSQL cluster for development and tests.
#
#   db/pg.sh url      start the cluster under .data/pg if needed, print its URL
#   db/pg.sh stop     stop it (no-op when not running)
#   db/pg.sh status   say whether it runs (exit 0 running, 3 stopped)
#
# Why a private cluster: `make run` / `make test` must work on a fresh clone
# without touching (or needing credentials for) any system PostgreSQL. The
# cluster lives in the repo's .data/ directory, listens on 127.0.0.1 only and
# uses trust auth, which is fine for a loopback-only throwaway cluster.
#
# Environment:
#   HEARD_PG_PORT    TCP port (default: the first free one from 55432, away from
#                    a system server on 5432, remembered in .data/pg.port)
#   HEARD_PG_BINDIR  directory holding initdb/pg_ctl/postgres (skips discovery)
set -euo pipefail

# Only the URL may reach stdout (callers do url=$(db/pg.sh url)); everything
# else, including output of the tools we run, goes to stderr. fd 3 keeps the
# real stdout for the one line we print.
exec 3>&1 1>&2

die() { echo "heard: $*" >&2; exit 1; }

# Resolve paths from the script's own location so it works from any cwd.
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd -P)
DATA="$REPO/.data"
PGDATA_DIR="$DATA/pg"
LOG="$DATA/pg.log"
SOCK="$DATA/sock"
# --- locate the server binaries ---------------------------------------------
# Debian/Ubuntu keep them out of PATH (/usr/lib/postgresql/N/bin), so PATH
# alone is not enough; pg_config knows where its own server lives.
find_bindir() {
	local d
	if [[ -n "${HEARD_PG_BINDIR:-}" ]]; then
		# An explicit choice is not second-guessed with fallbacks.
		[[ -x "$HEARD_PG_BINDIR/initdb" && -x "$HEARD_PG_BINDIR/pg_ctl" ]] && { echo "$HEARD_PG_BINDIR"; return 0; }
		return 1
	fi
	if command -v pg_config >/dev/null 2>&1; then
		d=$(pg_config --bindir 2>/dev/null || true)
		[[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]] && { echo "$d"; return 0; }
	fi
	# Highest installed major version wins (sort -V orders 9.6 < 15 < 17).
	d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r | while read -r b; do
		[[ -x "$b/initdb" && -x "$b/pg_ctl" ]] && { echo "$b"; break; }
	done)
	[[ -n "$d" ]] && { echo "$d"; return 0; }
	if d=$(command -v initdb 2>/dev/null); then
		# Follow symlinks so pg_ctl/postgres are found next to the real initdb.
		d=$(dirname "$(readlink -f "$d")")
		[[ -x "$d/pg_ctl" ]] && { echo "$d"; return 0; }
	fi
	return 1
}

BINDIR=""
PG_ISREADY=""
# need_bindir: set BINDIR/PG_ISREADY or fail with the one-line hint. Called
# lazily so `stop`/`status` work (and say "not running") without binaries.
need_bindir() {
	[[ -z "$BINDIR" ]] || return 0
	BINDIR=$(find_bindir) || die "PostgreSQL server binaries not found (initdb, pg_ctl); install them, e.g. 'apt-get install postgresql', or set DATABASE_URL"
	PG_ISREADY="$BINDIR/pg_isready"
	[[ -x "$PG_ISREADY" ]] || PG_ISREADY=$(command -v pg_isready 2>/dev/null) || PG_ISREADY=""
}

# --- running as root ----------------------------------------------------------
# initdb and postgres refuse to run as root (pg_ctl too, even for status), so
# as root we run them as an unprivileged account and hand it the data dir.
RUN_AS=""
if [[ $EUID -eq 0 ]]; then
	if id -u postgres >/dev/null 2>&1; then RUN_AS=postgres; else RUN_AS=nobody; fi
fi

# As root in a checkout the cluster owner cannot reach (under a 0700 home,
# say), keep the cluster in /var/tmp and make .data a link to it: the
# cluster still lives "under .data" and goes when .data goes.
if [[ -n "$RUN_AS" && ! -L "$DATA" ]] && ! runuser -u "$RUN_AS" -- test -x "$REPO" 2>/dev/null; then
	# Only a cluster is worth refusing for; a port file or lock left by an
	# earlier run (before this move existed) goes with the old .data.
	if [[ -e "$DATA/pg" ]]; then
		die "user '$RUN_AS' cannot reach $DATA (a parent directory is not searchable by it) and $DATA/pg holds a cluster; remove it, move the checkout, or set DATABASE_URL"
	fi
	rm -rf "$DATA"
	outside="/var/tmp/heard-data-$(printf '%s' "$REPO" | sha256sum | cut -c1-12)"
	mkdir -p "$outside"
	ln -s "$outside" "$DATA"
	echo "heard: $RUN_AS cannot reach $REPO, so the private cluster lives in $outside (linked from $DATA)" >&2
fi
if [[ -L "$DATA" ]]; then
	DATA=$(readlink -f "$DATA")
	PGDATA_DIR="$DATA/pg"
	LOG="$DATA/pg.log"
	SOCK="$DATA/sock"
fi


# The port: HEARD_PG_PORT, else the one this checkout's cluster was given
# (.data/pg.port), else the first free one from 55432 — so a second
# checkout on the same machine (a CI clone, say) gets its own. Chosen only
# now, after .data has its final place: writing pg.port earlier would
# leave .data non-empty and block the move above. A port chosen with
# HEARD_PG_PORT is remembered like an automatic one once the cluster runs
# on it (see url below), so later runs without it find the cluster.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [[ -n "${HEARD_PG_PORT:-}" ]]; then
	PORT=$HEARD_PG_PORT
	[[ "$PORT" =~ ^[0-9]+$ ]] || die "HEARD_PG_PORT must be a number, got '$PORT'"
elif [[ -s "$DATA/pg.port" ]]; then
	PORT=$(cat "$DATA/pg.port")
elif [[ "${1:-url}" == url ]]; then
	PORT=55432
	while listening "$PORT"; do
		((PORT++))
		((PORT < 55532)) || die "no free port in 55432-55531 for the private PostgreSQL; set HEARD_PG_PORT"
	done
	mkdir -p "$DATA"
	echo "$PORT" >"$DATA/pg.port"
else
	PORT=55432
fi
[[ "$PORT" =~ ^[0-9]+$ ]] || die "the port in $DATA/pg.port is not a number: '$PORT'"
URL="postgres://postgres@127.0.0.1:${PORT}/postgres?sslmode=disable"

# as_pg CMD...: run CMD as the cluster owner. cd / first so the server never
# inherits a cwd it cannot read (e.g. under root's 0700 home).
as_pg() {
	# Close fd 3 (our caller's stdout) and fd 9 (the start lock) for the child:
	# the postmaster would inherit them and then `$(db/pg.sh url)` would never
	# see EOF and the lock would never be released.
	if [[ -z "$RUN_AS" ]]; then
		(cd / && exec "$@" 3>&- 9>&-)
	elif command -v runuser >/dev/null 2>&1; then
		(cd / && exec runuser -u "$RUN_AS" -- "$@" 3>&- 9>&-)
	elif command -v setpriv >/dev/null 2>&1; then
		(cd / && exec setpriv --reuid="$RUN_AS" --regid="$(id -g "$RUN_AS")" --init-groups -- "$@" 3>&- 9>&-)
	else
		(cd / && exec su -s /bin/sh "$RUN_AS" -c "$(printf '%q ' "$@")" 3>&- 9>&-)
	fi
}

# give PATH...: make paths owned by the cluster owner (no-op when not root).
give() {
	local p
	[[ -n "$RUN_AS" ]] || return 0
	for p in "$@"; do
		# Skip the recursive chown when already owned: a loaded cluster is big.
		[[ "$(stat -c %U "$p")" == "$RUN_AS" ]] || chown -R "$RUN_AS": "$p"
	done
}

is_running() {
	[[ -f "$PGDATA_DIR/postmaster.pid" ]] || return 1
	need_bindir
	as_pg "$BINDIR/pg_ctl" status -D "$PGDATA_DIR" >/dev/null 2>&1
}

# pid_line N: line N of postmaster.pid (4 = port, 8 = "starting"/"ready").
pid_line() { sed -n "${1}p" "$PGDATA_DIR/postmaster.pid" 2>/dev/null | tr -d ' '; }

# is_ready: OUR postmaster says ready. Checking pg_isready alone is not enough:
# if our start failed because the port is taken, pg_isready would happily
# report the other server on that port as ready.
is_ready() {
	[[ "$(pid_line 8)" == ready && "$(pid_line 4)" == "$PORT" ]] || return 1
	[[ -z "$PG_ISREADY" ]] || "$PG_ISREADY" -q -h 127.0.0.1 -p "$PORT" -U postgres -d postgres >/dev/null 2>&1
}

show_log_tail() {
	if [[ -f "$LOG" ]]; then
		echo "--- last lines of $LOG ---" >&2
		tail -n 25 "$LOG" >&2 || true
	fi
}

wait_ready() {
	local i
	for ((i = 0; i < 300; i++)); do
		is_ready && return 0
		# Fail fast when the postmaster already died (bad port, bad config...).
		if ((i > 10)) && ! is_running; then
			show_log_tail
			die "PostgreSQL in $PGDATA_DIR exited during start-up on 127.0.0.1:$PORT; see the log above ($LOG)"
		fi
		sleep 0.1
	done
	show_log_tail
	die "PostgreSQL in $PGDATA_DIR did not become ready on 127.0.0.1:$PORT within 30 s (log: $LOG)"
}

# Settings for the private cluster, rewritten on every start so edits here
# take effect without re-initialising. postgresql.conf includes this file.
write_conf() {
	local sockdirs="'$SOCK'"
	# Unix socket paths are limited to ~107 bytes; on a deeply nested checkout
	# go TCP-only rather than fail to start (the URL uses TCP anyway).
	if (( ${#SOCK} + 16 > 100 )); then
		echo "heard: $SOCK is too long for a unix socket; listening on TCP only" >&2
		sockdirs="''"
	fi
	cat >"$PGDATA_DIR/heard.conf" <<-EOF
	# Written by db/pg.sh on every start; edit the script, not this file.
	listen_addresses = '127.0.0.1'
	port = $PORT
	unix_socket_directories = $sockdirs
	# Tests create many databases and connect in parallel.
	max_connections = 200
	# Dev box doing bulk loads: more memory, fewer checkpoints. fsync stays on
	# so a crash cannot corrupt data loaded by 'make run'; synchronous_commit
	# off risks only the last few hundred ms of commits, never consistency.
	shared_buffers = 512MB
	work_mem = 32MB
	maintenance_work_mem = 256MB
	max_wal_size = 4GB
	checkpoint_timeout = 30min
	synchronous_commit = off
	# No replicas: minimal WAL lets COPY into fresh tables skip WAL entirely.
	wal_level = minimal
	max_wal_senders = 0
	EOF
	give "$PGDATA_DIR/heard.conf"
}

init_cluster() {
	local tmp="$DATA/pg.init"
	echo "heard: initialising private PostgreSQL cluster in $PGDATA_DIR ($BINDIR)" >&2
	rm -rf "$tmp"
	mkdir -p "$tmp"
	chmod 0700 "$tmp"
	give "$tmp"
	if [[ -n "$RUN_AS" ]] && ! as_pg test -w "$tmp"; then
		rm -rf "$tmp"
		die "user '$RUN_AS' (used because initdb refuses to run as root) cannot reach $DATA: a parent directory is not searchable by it (e.g. a 0700 home); move the checkout, run as a normal user, or set DATABASE_URL"
	fi
	# Initialise into a temp dir and rename, so an interrupted initdb never
	# leaves a half-made cluster that later looks initialised.
	if ! as_pg "$BINDIR/initdb" -D "$tmp" -U postgres -A trust -E UTF8 --no-locale >"$DATA/initdb.log" 2>&1; then
		tail -n 25 "$DATA/initdb.log" >&2 || true
		rm -rf "$tmp"
		die "initdb failed (full output: $DATA/initdb.log)"
	fi
	echo "include_if_exists = 'heard.conf'" >>"$tmp/postgresql.conf"
	mv "$tmp" "$PGDATA_DIR"
}

start_cluster() {
	local have want
	need_bindir
	mkdir -p "$DATA"
	# As root the cluster owner must be able to traverse .data itself.
	[[ -z "$RUN_AS" ]] || chmod 0755 "$DATA"

	# Serialise concurrent starts (e.g. make -j running two targets).
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$DATA/pg.lock"
		flock 9
		if is_running; then wait_ready; return 0; fi
	fi

	[[ -f "$PGDATA_DIR/PG_VERSION" ]] || init_cluster

	# A cluster made by another major version cannot be started; say so plainly.
	have=$(cat "$PGDATA_DIR/PG_VERSION")
	want=$("$BINDIR/postgres" --version | sed -n 's/.*) \([0-9][0-9]*\).*/\1/p')
	if [[ -n "$want" && "$have" != "$want" && "$have" != "$want".* ]]; then
		die "$PGDATA_DIR was created by PostgreSQL $have but $BINDIR is PostgreSQL $want; remove $PGDATA_DIR (its data is lost) or set HEARD_PG_BINDIR"
	fi

	mkdir -p "$SOCK"
	touch "$LOG"
	give "$PGDATA_DIR" "$SOCK" "$LOG"
	if [[ -n "$RUN_AS" ]] && ! as_pg test -w "$PGDATA_DIR"; then
		die "user '$RUN_AS' (used because postgres refuses to run as root) cannot reach $DATA: a parent directory is not searchable by it (e.g. a 0700 home); move the checkout, run as a normal user, or set DATABASE_URL"
	fi
	write_conf

	echo "heard: starting private PostgreSQL on 127.0.0.1:$PORT (log: $LOG)" >&2
	# -W: don't let pg_ctl wait; wait_ready below waits with a clear error.
	if ! as_pg "$BINDIR/pg_ctl" start -D "$PGDATA_DIR" -l "$LOG" -W -s; then
		show_log_tail
		die "pg_ctl start failed"
	fi
	wait_ready
}

cmd="${1:-}"
case "$cmd" in
url)
	# Fast path: already running, so just print the URL.
	if ! is_running; then
		start_cluster
	elif [[ "$(pid_line 4)" != "$PORT" ]]; then
		die "the private PostgreSQL already runs on port $(pid_line 4), not $PORT; run 'db/pg.sh stop' first"
	fi
	is_ready || wait_ready
	# Remember the port the cluster runs on, also one HEARD_PG_PORT chose.
	[[ "$(cat "$DATA/pg.port" 2>/dev/null)" == "$PORT" ]] || echo "$PORT" >"$DATA/pg.port"
	echo "$URL" >&3
	;;
stop)
	if is_running; then
		echo "heard: stopping private PostgreSQL in $PGDATA_DIR" >&2
		as_pg "$BINDIR/pg_ctl" stop -D "$PGDATA_DIR" -m fast -w -s
	else
		echo "heard: private PostgreSQL is not running" >&2
	fi
	;;
status)
	if is_running; then
		echo "heard: private PostgreSQL is running: $URL" >&2
	else
		echo "heard: private PostgreSQL is not running" >&2
		exit 3
	fi
	;;
*)
	echo "usage: db/pg.sh url|stop|status" >&2
	exit 2
	;;
esac
