#!/usr/bin/env bash
# Makes sure Debian's redis-server is on the PATH for the Redis session store's tests, which start
# their own server on a random 127.0.0.1 port (no persistence) and stop it afterwards. Idempotent:
# does nothing when it is already installed. Installing needs root and apt-get, as on the CI machines.
set -euo pipefail

if command -v redis-server >/dev/null 2>&1; then
  exit 0
fi

echo "ensure-redis-server: redis-server is missing; installing Debian's redis-server package (under a minute)" >&2
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-redis-server: apt-get is not available here; install redis-server (7 or newer) so it is on the PATH, then run the tests again" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-redis-server: installing needs root; run: sudo apt-get update && sudo apt-get install -y redis-server" >&2
  exit 1
fi

echo "ensure-redis-server: + apt-get update" >&2
apt-get update -qq
echo "ensure-redis-server: + apt-get install -y --no-install-recommends redis-server" >&2
# The package's own service is not wanted (tests start theirs); policy-rc.d keeps apt from starting it.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null

if ! command -v redis-server >/dev/null 2>&1; then
  echo "ensure-redis-server: apt-get finished but redis-server is still missing; the Redis store's tests cannot run" >&2
  exit 1
fi
echo "ensure-redis-server: installed $(redis-server --version)" >&2
