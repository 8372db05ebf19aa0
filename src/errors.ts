// Faults are typed errors caught once at the top (STYLE.md 5); each carries the exit code DESIGN.md fixes.
export const EXIT = { ok: 0, failed: 1, usage: 2, partial: 3 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];
/** What the process exits with: an ExitCode, or 128 + the signal that interrupted a deploy (SIGINT 130, SIGTERM 143). */
export type ProcessExit = ExitCode | 130 | 143;

export class PinrollError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode = EXIT.failed,
    readonly hint?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad usage or bad input: nothing was changed (exit 2). */
export class UsageError extends PinrollError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
  }
}

/** A tool (crane, git, ansible...) failed; carries what ran and the tail of what it said. */
export class ToolError extends PinrollError {
  constructor(
    readonly tool: string,
    readonly argv: readonly string[],
    readonly toolExitCode: number | undefined,
    readonly stderrTail: string,
    message?: string,
    exitCode: ExitCode = EXIT.failed,
    hint?: string,
  ) {
    super(message ?? `${tool} failed (exit ${toolExitCode ?? "?"}): ${lastLine(stderrTail)}`, exitCode, hint);
  }
}

/** A fault in pinroll itself (a broken invariant, a missing file of its own): exit 1, reported as a bug. */
export class InternalError extends PinrollError {
  constructor(message: string) {
    super(`internal: ${message}`, EXIT.failed, "a fault in pinroll: run again with --verbose and report the stack trace");
  }
}

/** pinroll.yml is not valid: every problem with its dotted path (exit 2). */
export class ConfigError extends UsageError {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(
      problems.length === 1
        ? `${file}: ${problems[0]}`
        : `${file}: ${problems.length} problems:\n${problems.map((p) => `  ${p}`).join("\n")}`,
    );
  }
}

/** A file pinroll wrote (deploy-info.yml, a history entry) no longer parses. */
export class CorruptFile extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path} is corrupted (${reason})`);
  }
}

export class HostsUnreadable extends PinrollError {
  constructor(readonly problems: string[]) {
    super(
      `cannot know what is live, so nothing is pruned: ${problems.join("; ")}`,
      1,
      "fix or reach the host (or take it out of the inventory), then prune again",
    );
  }
}

export class HostUnreachable extends PinrollError {
  constructor(
    readonly host: string,
    detail: string,
  ) {
    super(`host ${host} unreachable: ${detail}`);
  }
}

export type HubFault = "not-found" | "timeout" | "rate-limited" | "http" | "network";

/** An expected outcome of one look-up (the caller turns it into a warning), never a crash. */
export class HubError extends Error {
  constructor(
    readonly fault: HubFault,
    message: string,
  ) {
    super(message);
  }
}

/** What SignatureError names per digest (verify/cosign's Unsigned has this shape). */
export interface UnsignedDigest {
  service: string;
  image: string;
  digest: string;
  failure: string;
  fix: string;
}

export class SignatureError extends UsageError {
  constructor(
    readonly unsigned: UnsignedDigest[],
    key: string,
    allowFlag?: string,
  ) {
    const what = (u: UnsignedDigest) =>
      `${u.service} ${u.image}@${u.digest} ${u.failure === "unsigned" ? "has no signature" : "has no valid signature"}`;
    super(
      `not signed with ${key}: ${unsigned.map(what).join("; ")}`,
      `sign with: ${unsigned.map((u) => u.fix).join(" && ")}${allowFlag ? `, or pass ${allowFlag}` : ""}`,
    );
  }
}

/** A compose interpolation the pin scanner cannot evaluate (caught inside src/pin/interpolate.ts). */
export class TemplateError extends Error {}

/** A shell word the Dockerfile lexer cannot read (caught inside src/pin/shell-word.ts). */
export class LexError extends Error {}

export function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1] ?? "";
}

export function errorLine(err: unknown): string {
  if (err instanceof PinrollError) return err.hint ? `${err.message} (${err.hint})` : err.message;
  if (err instanceof Error) return err.message;
  return String(err);
}

export type RegistryFault =
  "not-found" | "auth" | "login-refused" | "untrusted-cert" | "expired-cert" | "rate-limited" | "unreachable" | "unsupported" | "other";

const FAULT_HINTS: Partial<Record<RegistryFault, (host: string) => string>> = {
  auth: (host) => `log in with: crane auth login ${host} -u USER --password-stdin`,
  "login-refused": (host) => `check username and password under registries.${host} in pinroll.yml`,
  "untrusted-cert": (host) => `set registries.${host}.ca_file in pinroll.yml to the CA that signed its certificate`,
  "expired-cert": (host) => `renew the TLS certificate of ${host}`,
  unreachable: (host) => `is ${host} running and reachable? the local registry starts with: task registry:up`,
  unsupported: () => "the registry refuses this operation; for deletes set storage.delete.enabled: true",
  "rate-limited": () => "wait a little and try again",
};

/** Exit codes by fault: a missing repo/tag or an unreachable registry is bad input (issue 2), the rest a failed operation. */
const FAULT_EXIT: Record<RegistryFault, ExitCode> = {
  "not-found": EXIT.usage,
  auth: EXIT.usage,
  // issue 9: configured credentials the registry refuses are a refused login (1); an unknown CA is missing config (2)
  "login-refused": EXIT.failed,
  "untrusted-cert": EXIT.usage,
  "expired-cert": EXIT.failed,
  unreachable: EXIT.usage,
  unsupported: EXIT.failed,
  "rate-limited": EXIT.failed,
  other: EXIT.failed,
};

export class RegistryError extends PinrollError {
  constructor(
    readonly fault: RegistryFault,
    readonly host: string,
    message: string,
    readonly detail = "",
  ) {
    super(message, FAULT_EXIT[fault], FAULT_HINTS[fault]?.(host));
  }
}

/**
 * Registry error codes (distribution spec) and transport failures, as they appear in crane's stderr or an HTTP body.
 * Bare status numbers come last: a tag like `401` in a ref must not turn "connection refused" into an auth fault.
 */
export function classifyRegistryText(text: string): RegistryFault {
  // Go's x509 messages (crane) and Node's TLS error codes (pinroll's client).
  if (/certificate has expired|CERT_HAS_EXPIRED|certificate is not yet valid|CERT_NOT_YET_VALID/i.test(text)) return "expired-cert";
  if (
    /certificate signed by unknown authority|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT/i.test(
      text,
    )
  )
    return "untrusted-cert";
  if (/MANIFEST_UNKNOWN|NAME_UNKNOWN|BLOB_UNKNOWN|NOT_FOUND/.test(text)) return "not-found";
  if (/UNAUTHORIZED|DENIED/.test(text)) return "auth";
  if (/TOOMANYREQUESTS/.test(text)) return "rate-limited";
  if (/UNSUPPORTED/.test(text)) return "unsupported";
  if (/connection refused|ECONNREFUSED|no such host|ENOTFOUND|EHOSTUNREACH|i\/o timeout|ETIMEDOUT|connection reset/i.test(text))
    return "unreachable";
  if (/\b404\b/.test(text)) return "not-found";
  if (/\b40[13]\b/.test(text)) return "auth";
  if (/\b429\b/.test(text)) return "rate-limited";
  if (/\b405\b/.test(text)) return "unsupported";
  return "other";
}
