#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server on 127.0.0.1, its URL in CVDESK_TEST_DATABASE_URL.
# Without PostgreSQL's server binaries it says so and skips (exit 0), unless CVDESK_REQUIRE_POSTGRES=1.
set -euo pipefail

bindir=""
for d in /usr/lib/postgresql/*/bin; do [ -x "$d/initdb" ] && bindir="$d"; done
if [ -z "$bindir" ]; then
  if [ "${CVDESK_REQUIRE_POSTGRES:-0}" = "1" ]; then echo "error: PostgreSQL server binaries not found (apt-get install postgresql)" >&2; exit 1; fi
  echo "== skipped: the PostgreSQL run (no PostgreSQL server binaries; apt-get install postgresql to run it)"
  exit 0
fi

dir=$(mktemp -d /tmp/cvdesk-pg.XXXXXX)
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
as_pg=()
if [ "$(id -u)" = "0" ]; then chown postgres "$dir"; as_pg=(runuser -u postgres --); fi

cleanup() { "${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$dir"; }
trap cleanup EXIT

"${as_pg[@]}" "$bindir/initdb" -D "$dir/data" -U cvdesk --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${as_pg[@]}" "$bindir/pg_ctl" -D "$dir/data" -l "$dir/log" -w \
  -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
echo "== PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port"

export CVDESK_TEST_DATABASE_URL="postgres://cvdesk@127.0.0.1:$port/postgres"
"$@"
