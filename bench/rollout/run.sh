#!/bin/sh
# Runs the rollout benchmark with enough file descriptors for thousands of
# connections (the hub, the agent workers and run.ts inherit the limit).
#   sh bench/rollout/run.sh --clusters 1000 --partitions 10
set -eu
cd "$(dirname "$0")/../.."
# Node >= 22 (setup.sh installs Node 24 into .tools/ when the machine's is older).
. scripts/env.sh
want=65536
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -lt "$want" ]; then want=$hard; fi
if [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt "$want" ]; then ulimit -n "$want"; fi
exec node bench/rollout/run.ts "$@"
