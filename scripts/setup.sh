#!/usr/bin/env bash
# Creates .venv with rtorch and its test, oracle and R extras; installs R from Debian's packages if it is
# missing and we may (root). Safe to run again: it does only what is not done yet.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v R >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing R (r-base-core)" >&2
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq r-base-core >/dev/null
  else
    echo "setup: R is not installed; the R exchange tests need it (Debian: apt-get install r-base-core)" >&2
  fi
fi
if [ ! -x .venv/bin/python ] || [ pyproject.toml -nt .venv/.installed ]; then
  python3 -m venv .venv
  extras="test,oracle"
  command -v R >/dev/null 2>&1 && extras="$extras,r"
  .venv/bin/pip install -q --disable-pip-version-check -e ".[$extras]"
  touch .venv/.installed
fi
