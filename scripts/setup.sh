#!/usr/bin/env bash
# Prepares a fresh Debian machine for the tests: the Debian packages that the real-server tests
# start (OpenLDAP's slapd and nginx, on loopback ports of their own), util-linux logger and the
# Python that holds a Unix datagram socket for the local syslog tests, the pnpm and yarn clients
# that generated services can be installed with, then the npm dependencies. Each step is skipped
# when what it installs is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

need=()
command -v slapd >/dev/null 2>&1 || [ -x /usr/sbin/slapd ] || need+=(slapd)
command -v ldapadd >/dev/null 2>&1 || need+=(ldap-utils)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || need+=(nginx-light)
command -v git >/dev/null 2>&1 || need+=(git)
command -v logger >/dev/null 2>&1 || need+=(bsdutils)
command -v python3 >/dev/null 2>&1 || need+=(python3)

if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -q
  # the packages' own init scripts must not start system daemons: the tests start their own
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# the generated services may be installed with pnpm or yarn (classic) too; the tests of that path
# run both clients, taken from the npm registry like everything else
clients=()
command -v pnpm >/dev/null 2>&1 || clients+=(pnpm@9)
command -v yarn >/dev/null 2>&1 || clients+=(yarn@1)
if [ ${#clients[@]} -gt 0 ]; then
  sudo=""
  [ -w "$(npm prefix -g)" ] || sudo="sudo"
  $sudo npm install -g --no-audit --no-fund "${clients[@]}"
fi

npm ci --no-audit --no-fund
