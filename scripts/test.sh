#!/bin/sh
# The test command (npm test): build, lint, then every test tier.
set -eu
cd "$(dirname "$0")/.."
. scripts/env.sh
npm run build
npm run lint
npx vitest run "$@"
