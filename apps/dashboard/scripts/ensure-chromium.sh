#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the dashboard's end-to-end tests
# (playwright-core drives it; we never download Playwright's own browsers). Idempotent: does
# nothing when it is already installed. Installing needs root and apt-get, as on the CI machines.
set -euo pipefail

exec bash "$(dirname "${BASH_SOURCE[0]}")/../../../scripts/ensure-debian-package.sh" \
  --takes 'about a minute' \
  --install-hint 'Chromium so that /usr/bin/chromium exists' \
  --consequence 'the e2e tests cannot run' \
  /usr/bin/chromium chromium
