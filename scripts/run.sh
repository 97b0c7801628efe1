#!/bin/sh
# Runs a command with the project's Node (>= 22) first on PATH, from any
# shell: every npm script goes through it, so `npm run demo`, `npm test` and
# friends work in a fresh shell whose own Node is older (20 here).
# Usage: sh scripts/run.sh <command> [args...]
set -eu
FLOTILLA_ROOT="$(cd "$(dirname "$0")/.." && pwd)"

. "$FLOTILLA_ROOT/scripts/env.sh"
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 22 ]; then
  echo "flotilla: Node $(node --version 2>/dev/null || echo '(none)') is older than 22 and .tools/ has none; run: sh scripts/setup.sh" >&2
  exit 1
fi
exec "$@"
