// One doctor check (DESIGN.md Additions, `doctor --json`): what was checked, where, whether it passed, the one fix.
export interface Check {
  check: string;
  host?: string;
  ok: boolean;
  detail: string;
  fix?: string;
  /** passes, but worth reading (pinroll.yml warnings) */
  warning?: true;
}

export const pass = (check: string, detail: string, extra: Partial<Check> = {}): Check => ({ check, ok: true, detail, ...extra });
export const fail = (check: string, detail: string, fix: string, extra: Partial<Check> = {}): Check => ({
  check,
  ok: false,
  detail,
  fix,
  ...extra,
});
