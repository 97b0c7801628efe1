#!/bin/sh
# The test command (npm test): build, lint, then every test tier.
set -eu
cd "$(dirname "$0")/.."
. scripts/env.sh
npm run build
npm run lint
# Type-check everything, tests and tools included (the builds only cover src/).
npx tsc -p tsconfig.json
npx vitest run "$@"
