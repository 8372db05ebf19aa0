# Sourced by pinroll's shell scripts: puts pinroll's tools (shared by every clone on the machine) and the
# project's Ansible virtualenv on PATH.
export PINROLL_TOOLS_BIN="${PINROLL_TOOLS_BIN:-$HOME/.local/share/pinroll/bin}"
_pinroll_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case ":$PATH:" in
  *":$PINROLL_TOOLS_BIN:"*) ;;
  *) export PATH="$PINROLL_TOOLS_BIN:$_pinroll_root/.venv/bin:$PATH" ;;
esac
unset _pinroll_root
