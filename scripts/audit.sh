#!/usr/bin/env bash
# Audits the npm dependencies against the registry's advisories and fails on a high or critical one.
#
#   scripts/audit.sh              the repository: the root package and the runtime workspace
#   scripts/audit.sh SERVICE_DIR  a generated service (it needs a package-lock.json; make one
#                                 with `npm install --package-lock-only` in that folder)
#
# Exit status: 0 no high or critical advisory; 1 at least one (npm's report says which);
# 2 the audit could not run (no lock file, or the advisory endpoint did not answer), so nothing
# was proven either way.
set -uo pipefail

if [ $# -gt 1 ]; then
  echo "usage: scripts/audit.sh [SERVICE_DIR]" >&2
  exit 2
fi

if [ $# -eq 1 ]; then
  target=$1
  flags=()
else
  target=$(cd "$(dirname "$0")/.." && pwd)
  flags=(--workspaces --include-workspace-root)
fi

if [ ! -f "$target/package-lock.json" ]; then
  echo "audit.sh: $target has no package-lock.json; run \`npm install --package-lock-only\` there first" >&2
  exit 2
fi

cd "$target" || exit 2
output=$(npm audit --audit-level=high "${flags[@]}" 2>&1)
status=$?
printf '%s\n' "$output"

if [ "$status" -ne 0 ] && grep -q -e 'audit endpoint returned an error' -e 'ENOAUDIT' -e 'EAI_AGAIN' \
  -e 'ECONNREFUSED' -e 'ETIMEDOUT' <<<"$output"; then
  echo "audit.sh: the registry's advisory endpoint did not answer; $target was not audited" >&2
  exit 2
fi
exit "$status"
