// Options every command takes from the CLI, picked out of commander's untyped bag.

/** `--config PATH` (the global option) as a command option, absent when not given. */
export function configOption(opts: Record<string, unknown>): { config?: string } {
  return typeof opts.config === "string" ? { config: opts.config } : {};
}

/** `--changelog-limit N` (issue 11), absent when not given (the gate's default of 20 applies). */
export function changelogOption(opts: Record<string, unknown>): { changelogLimit?: number } {
  return typeof opts.changelogLimit === "number" ? { changelogLimit: opts.changelogLimit } : {};
}
