#!/usr/bin/env bash
# Installs a Debian package when a command it provides is missing, for the tests' system
# dependencies (Chromium, redis-server; see their wrappers under apps/ and packages/). Idempotent and
# silent when the command is there. Installing needs root and apt-get, as on the CI machines.
#
# Usage: ensure-debian-package.sh [options] <command> <package>
#   <command>  a name looked up on the PATH, or a path (with a /) that must be executable
#   <package>  the Debian package that provides it; messages are prefixed ensure-<package>
# Options (they only shape messages and apt-get's output, as each caller had them):
#   --takes TEXT         how long the install takes, for the first message (default: about a minute)
#   --install-hint TEXT  what to install by hand where there is no apt-get (default: <package>)
#   --consequence TEXT   what cannot run if the install fails (default: the tests cannot run)
#   --quiet              apt-get with -qq, the install's output dropped
#   --no-recommends      apt-get install --no-install-recommends
#   --no-services        keep apt from starting the package's services (a policy-rc.d for the install)
set -euo pipefail

takes='about a minute'
hint=''
consequence='the tests cannot run'
quiet=false
no_recommends=false
no_services=false
while [ $# -gt 0 ]; do
  case "$1" in
    --takes) takes="$2"; shift 2 ;;
    --install-hint) hint="$2"; shift 2 ;;
    --consequence) consequence="$2"; shift 2 ;;
    --quiet) quiet=true; shift ;;
    --no-recommends) no_recommends=true; shift ;;
    --no-services) no_services=true; shift ;;
    --) shift; break ;;
    -*) echo "ensure-debian-package: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ $# -ne 2 ]; then
  echo "usage: ensure-debian-package.sh [options] <command> <package>" >&2
  exit 2
fi
command_name="$1"
package="$2"
name="ensure-$package"
hint="${hint:-$package}"

# A path is checked as a file (where a package puts it), a bare name on the PATH.
present() {
  case "$command_name" in
    */*) [ -x "$command_name" ] ;;
    *) command -v "$command_name" >/dev/null 2>&1 ;;
  esac
}

if present; then
  exit 0
fi

echo "$name: $command_name is missing; installing Debian's $package package ($takes)" >&2
if ! command -v apt-get >/dev/null 2>&1; then
  echo "$name: apt-get is not available here; install $hint, then run the tests again" >&2
  exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "$name: installing needs root; run: sudo apt-get update && sudo apt-get install -y $package" >&2
  exit 1
fi

update=(apt-get update)
install=(apt-get install -y)
if $quiet; then
  update+=(-qq)
  install+=(-qq)
fi
shown="apt-get install -y"
if $no_recommends; then
  install+=(--no-install-recommends)
  shown+=" --no-install-recommends"
fi
install+=("$package")

echo "$name: + apt-get update" >&2
"${update[@]}"
echo "$name: + $shown $package" >&2
# policy-rc.d answering 101 keeps apt from starting the package's services (tests start their own).
if $no_services && [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  trap 'rm -f /usr/sbin/policy-rc.d' EXIT
fi
if $quiet; then
  DEBIAN_FRONTEND=noninteractive "${install[@]}" >/dev/null
else
  DEBIAN_FRONTEND=noninteractive "${install[@]}"
fi

if ! present; then
  echo "$name: apt-get finished but $command_name is still missing; $consequence" >&2
  exit 1
fi
echo "$name: installed $("$command_name" --version 2>/dev/null || echo "$command_name")" >&2
