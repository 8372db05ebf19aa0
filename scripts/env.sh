# Sourced by pinroll's shell scripts and by people: puts pinroll's tools (shared by every clone on the machine),
# the project's Ansible virtualenv and `pinroll` itself (bin/pinroll: rebuilds when sources changed) on PATH.
export PINROLL_TOOLS_BIN="${PINROLL_TOOLS_BIN:-$HOME/.local/share/pinroll/bin}"
_pinroll_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
case ":$PATH:" in
  *":$PINROLL_TOOLS_BIN:"*) ;;
  *) export PATH="$PINROLL_TOOLS_BIN:$_pinroll_root/.venv/bin:$PATH" ;;
esac
case ":$PATH:" in
  *":$_pinroll_root/bin:"*) ;;
  *) export PATH="$_pinroll_root/bin:$PATH" ;;
esac
unset _pinroll_root
