// `registries:` of pinroll.yml (issue 9; DESIGN.md Additions, "Private registries"): per registry host, the
// credentials, an own CA and plain HTTP. Shape and rules here; secrets are read only when a registry is used.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { UsageError } from "../errors.js";

const SECRET_REF = /^(env:\/\/[A-Za-z_][A-Za-z0-9_]*|file:\/\/.+)$/;

export const registryEntrySchema = z
  .strictObject({
    username: z.string().min(1).optional(),
    password: z
      .string()
      .regex(SECRET_REF, { message: "an inline password is refused: use env://VAR or file://PATH (a 0600 file)" })
      .optional()
      .describe("env://VAR or file://PATH (0600, relative to pinroll.yml); never the password itself"),
    ca_file: z.string().min(1).optional().describe("PEM file of your own CA, relative to pinroll.yml"),
    insecure: z.boolean().default(false).describe("plain HTTP; credentials are never sent over it"),
  })
  .superRefine((e, ctx) => {
    if (e.insecure && (e.username || e.password))
      ctx.addIssue({
        code: "custom",
        path: ["insecure"],
        message: "plain HTTP never carries credentials: remove username and password, or serve TLS (ca_file for your own CA)",
      });
    else if (Boolean(e.username) !== Boolean(e.password))
      ctx.addIssue({ code: "custom", path: [e.username ? "password" : "username"], message: "username and password go together" });
  });

export const registriesSchema = z
  .record(
    z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:]+\](:\d{1,5})?$/i, { message: "a registry is HOST or HOST:PORT" }),
    registryEntrySchema,
  )
  .default({})
  .describe("private registries by HOST:PORT: credentials and TLS trust for crane, pinroll and the hosts' Docker");

export type RegistryEntry = z.output<typeof registryEntrySchema>;

/** A password that prints as [REDACTED] wherever it ends up by mistake (JSON, logs, util.inspect). */
export class Secret {
  readonly #value: string;
  constructor(value: string) {
    this.#value = value;
  }
  reveal(): string {
    return this.#value;
  }
  toString(): string {
    return "[REDACTED]";
  }
  toJSON(): string {
    return "[REDACTED]";
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return "[REDACTED]";
  }
}

/** One registry's entry made usable: secrets read, CA loaded, paths absolute. */
export interface RegistryAccess {
  host: string;
  username?: string;
  password?: Secret;
  /** `env://VAR` or `file://PATH` as written, for messages */
  passwordRef?: string;
  caFile?: string;
  caPem?: string;
  insecure: boolean;
}

let active: { root: string; entries: Record<string, RegistryEntry> } = { root: process.cwd(), entries: {} };
const resolved = new Map<string, RegistryAccess>();

/** The registries of the config a command loaded; every registry access of the process follows them. */
export function useRegistries(root: string, entries: Record<string, RegistryEntry>): void {
  active = { root, entries };
  resolved.clear();
}

/** The access settings for a registry host, or undefined without an entry (today's behaviour: the Docker config). */
export function registryAccess(host: string): RegistryAccess | undefined {
  const entry = active.entries[host];
  if (!entry) return undefined;
  let access = resolved.get(host);
  if (!access) resolved.set(host, (access = resolveEntry(host, entry, active.root)));
  return access;
}

export function configuredRegistries(): string[] {
  return Object.keys(active.entries);
}

function resolveEntry(host: string, e: RegistryEntry, root: string): RegistryAccess {
  const where = `registries.${host}`;
  const access: RegistryAccess = { host, insecure: e.insecure };
  if (e.username && e.password) {
    access.username = e.username;
    access.passwordRef = e.password;
    access.password = new Secret(readSecret(e.password, `${where}.password`, root));
  }
  if (e.ca_file) {
    access.caFile = path.resolve(root, e.ca_file);
    access.caPem = readCa(access.caFile, `${where}.ca_file`);
  }
  return access;
}

function readSecret(ref: string, where: string, root: string): string {
  if (ref.startsWith("env://")) {
    const name = ref.slice("env://".length);
    const value = process.env[name];
    if (!value) throw new UsageError(`${where}: environment variable ${name} is not set`, `export ${name}=... before running pinroll`);
    return value;
  }
  const file = path.resolve(root, ref.slice("file://".length));
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    throw new UsageError(`${where}: cannot read ${file}`, "create it with the password, mode 0600");
  }
  // Like ssh with a private key: a secret others can read is refused rather than used.
  if ((stat.mode & 0o077) !== 0)
    throw new UsageError(`${where}: ${file} is readable by others (mode ${(stat.mode & 0o777).toString(8)})`, `chmod 600 ${file}`);
  const value = fs.readFileSync(file, "utf8").replace(/\r?\n$/, "");
  if (!value) throw new UsageError(`${where}: ${file} is empty`, "put the password in it");
  return value;
}

function readCa(file: string, where: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    throw new UsageError(`${where}: cannot read ${file}`, "point it at your CA's certificate (PEM)");
  }
  if (!text.includes("-----BEGIN CERTIFICATE-----"))
    throw new UsageError(`${where}: ${file} is not a PEM certificate`, "point it at your CA's certificate (PEM)");
  return text.endsWith("\n") ? text : `${text}\n`;
}
