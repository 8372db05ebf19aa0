// Options every command takes from the CLI, picked out of commander's untyped bag.

/** `--config PATH` (the global option) as a command option, absent when not given. */
export function configOption(opts: Record<string, unknown>): { config?: string } {
  return typeof opts.config === "string" ? { config: opts.config } : {};
}
