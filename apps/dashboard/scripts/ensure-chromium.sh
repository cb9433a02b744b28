#!/usr/bin/env bash
# Makes sure Debian's Chromium is at /usr/bin/chromium for the dashboard's end-to-end tests
# (playwright-core drives it; we never download Playwright's own browsers). Idempotent: does
# nothing when it is already installed. Installing needs root and apt-get, as on the CI machines.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium package (about a minute)" >&2
if ! command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: apt-get is not available here; install Chromium so that $CHROMIUM exists, then run the tests again" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: installing needs root; run: sudo apt-get update && sudo apt-get install -y chromium" >&2
  exit 1
fi

echo "ensure-chromium: + apt-get update" >&2
apt-get update
echo "ensure-chromium: + apt-get install -y chromium" >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

if [ ! -x "$CHROMIUM" ]; then
  echo "ensure-chromium: apt-get finished but $CHROMIUM is still missing; the e2e tests cannot run" >&2
  exit 1
fi
echo "ensure-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")" >&2
