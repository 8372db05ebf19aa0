# Sourced by pinroll's shell scripts and by people: puts pinroll's tools (shared by every clone on the machine),
# the project's Ansible virtualenv and `pinroll` itself (bin/pinroll: rebuilds when sources changed) on PATH.
# The shell side's one definition of the tool dirs; src/paths.ts toolDirs() is the Node side's (issue 10).
export PINROLL_TOOLS_BIN="${PINROLL_TOOLS_BIN:-$HOME/.local/share/pinroll/bin}"
_pinroll_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# Prepended in reverse: PATH starts bin, tools, .venv/bin; a dir already on PATH is not added twice.
for _pinroll_dir in "$_pinroll_root/.venv/bin" "$PINROLL_TOOLS_BIN" "$_pinroll_root/bin"; do
  case ":$PATH:" in
    *":$_pinroll_dir:"*) ;;
    *) PATH="$_pinroll_dir:$PATH" ;;
  esac
done
export PATH
unset _pinroll_root _pinroll_dir
