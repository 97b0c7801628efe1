#!/bin/sh
# buf breaking against the last landed version of the contract: the previous
# commit of the current branch (in CI, the main before this change). Skipped
# when there is no previous commit with the contract in it.
set -eu
cd "$(dirname "$0")"
against="${FLOTILLA_PROTO_AGAINST:-HEAD~1}"
if git cat-file -e "$against:proto/flotilla/v1" 2>/dev/null; then
  npx buf breaking --against "../.git#ref=$against,subdir=proto"
else
  echo "buf breaking: no earlier version of proto/ at $against; skipped"
fi
