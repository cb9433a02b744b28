#!/usr/bin/env bash
# Makes sure Debian's redis-server is on the PATH for the Redis session store's tests, which start
# their own server on a random 127.0.0.1 port (no persistence) and stop it afterwards. Idempotent:
# does nothing when it is already installed. Installing needs root and apt-get, as on the CI machines.
set -euo pipefail

# --no-services: the package's own service is not wanted, the tests start theirs.
exec bash "$(dirname "${BASH_SOURCE[0]}")/../../../scripts/ensure-debian-package.sh" \
  --takes 'under a minute' \
  --install-hint 'redis-server (7 or newer) so it is on the PATH' \
  --consequence "the Redis store's tests cannot run" \
  --quiet --no-recommends --no-services \
  redis-server redis-server
