#!/bin/sh
# Runs the manifest parsing benchmark (see run.ts). With --old-commit <rev>,
# the old hub parser (hub/src/bundles/bundle-input.ts at <rev>) is measured
# the same way, from a scratch copy that is removed afterwards.
#   sh bench/manifest-parse/run.sh [--docs 10000] [--old-commit 6882065] [--crd-dir ~/go/pkg/mod]
set -eu
cd "$(dirname "$0")/../.."
# Node >= 22 (setup.sh installs Node 24 into .tools/ when the machine's is older).
. scripts/env.sh
old=""
args=""
while [ $# -gt 0 ]; do
  case "$1" in
    --old-commit) old="$2"; shift 2 ;;
    *) args="$args $1"; shift ;;
  esac
done
if [ -n "$old" ]; then
  # Inside the checkout, so that @flotilla/core and yaml resolve; .ts imports for Node's type stripping.
  scratch=$(mktemp -d bench/manifest-parse/.old-XXXXXX)
  trap 'rm -rf "$scratch"' EXIT
  mkdir -p "$scratch/bundles" "$scratch/platform/errors"
  git show "$old:hub/src/bundles/bundle-input.ts" | sed "s/\.js';/.ts';/" > "$scratch/bundles/bundle-input.ts"
  git show "$old:hub/src/platform/errors/domain-error.ts" > "$scratch/platform/errors/domain-error.ts"
  # shellcheck disable=SC2086
  node bench/manifest-parse/run.ts --old-module "$scratch/bundles/bundle-input.ts" --old-commit "$old" $args
else
  # shellcheck disable=SC2086
  node bench/manifest-parse/run.ts $args
fi
