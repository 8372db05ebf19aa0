# Sourced by pinroll's shell scripts: where tools and state live.
# Tools are shared between clones (a second clone on the same machine reuses them).
export PINROLL_TOOLS_BIN="${PINROLL_TOOLS_BIN:-$HOME/.local/share/pinroll/bin}"
_pinroll_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PINROLL_STATE_DIR="${PINROLL_STATE_DIR:-$_pinroll_root/.pinroll}"
case ":$PATH:" in
  *":$PINROLL_TOOLS_BIN:"*) ;;
  *) export PATH="$PINROLL_TOOLS_BIN:$_pinroll_root/.venv/bin:$PATH" ;;
esac
unset _pinroll_root
