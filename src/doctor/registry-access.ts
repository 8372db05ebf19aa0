// doctor for a registry with a pinroll.yml entry (issue 9): TLS with its ca_file and its credentials, checked the
// way every command reaches it (crane with the private Docker config); a missing repository still proves both.
import { registryAccess } from "../config/registries.js";
import { RegistryError, UsageError } from "../errors.js";
import { craneCmd, runCrane } from "../tools/crane.js";
import { fail, pass, type Check } from "./check.js";

export async function checkConfiguredRegistry(registry: string, repo: string): Promise<Check[]> {
  let user: string | undefined;
  try {
    user = registryAccess(registry)?.username;
    await runCrane(craneCmd.ls(repo));
  } catch (err) {
    if (err instanceof UsageError && !(err instanceof RegistryError)) return [fail("registry credentials", err.message, err.hint ?? "")];
    if (!(err instanceof RegistryError) || err.fault !== "not-found") {
      const e = err as RegistryError;
      const check =
        e.fault === "untrusted-cert" || e.fault === "expired-cert"
          ? "registry tls"
          : e.fault === "unreachable"
            ? "registry"
            : "registry credentials";
      return [fail(check, e.message, e.hint ?? `see registries.${registry} in pinroll.yml`)];
    }
  }
  return [
    pass("registry", `${registry} answers over ${registryAccess(registry)?.insecure ? "plain HTTP (insecure)" : "TLS"}`),
    pass("registry credentials", user ? `${registry} accepts ${user}` : `${registry} needs no credentials from pinroll.yml`),
  ];
}
