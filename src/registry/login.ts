// What the deploy playbook needs to log each host in to the registries a release pulls from (issue 9): the
// variables (no secret: the name of an environment variable holding it) and that environment for ansible-playbook.
import { registryAccess } from "../config/registries.js";
import { parseRef } from "../image/ref.js";

export interface HostLogin {
  registry: string;
  /** null: only the CA is installed */
  username: string | null;
  /** the controller environment variable holding the password, read with lookup('env') under no_log */
  password_env: string | null;
  /** PEM text installed as /etc/docker/certs.d/<registry>/ca.crt, or null */
  ca_cert: string | null;
}

export interface HostLogins {
  vars: { pinroll_registry_logins: HostLogin[] };
  env: Record<string, string>;
}

/** Takes the release's services (any `{ image }` map), so the registry layer needs nothing from release/. */
export function hostLogins(release: { services: Record<string, { image: string }> }): HostLogins {
  const registries = [...new Set(Object.values(release.services).map((s) => parseRef(s.image).registry))].sort();
  const logins: HostLogin[] = [];
  const env: Record<string, string> = {};
  for (const registry of registries) {
    const access = registryAccess(registry);
    if (!access || (!access.caPem && !access.password)) continue;
    let passwordEnv: string | null = null;
    if (access.username && access.password) {
      // env://VAR keeps its own name, so `ansible-playbook -e @release.json` by hand works with the same variable.
      passwordEnv = access.passwordRef?.startsWith("env://")
        ? access.passwordRef.slice("env://".length)
        : `PINROLL_REGISTRY_PASSWORD_${logins.length}`;
      env[passwordEnv] = access.password.reveal();
    }
    logins.push({ registry, username: access.username ?? null, password_env: passwordEnv, ca_cert: access.caPem ?? null });
  }
  return { vars: { pinroll_registry_logins: logins }, env };
}
