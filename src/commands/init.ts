// `pinroll init [COMPOSE_FILE]` (issue 11 §6): scaffold pinroll.yml, an inventory and a Taskfile include for an
// existing compose project. Never overwrites: an existing file is left as it is and said so.
import fs from "node:fs";
import path from "node:path";
import YAML from "yaml";
import { UsageError } from "../errors.js";
import { classifyServices, pinGlobs, projectRegistry, type ServicePlan } from "../init/classify.js";
import { appNameFrom, includeNote, renderConfig, renderInventory, renderTaskfile } from "../init/render.js";
import { installRoot } from "../paths.js";

const COMPOSE_NAMES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

export interface InitResult {
  app: string;
  compose: string;
  services: ServicePlan[];
  wrote: string[];
  /** files that were there already, left untouched */
  kept: string[];
  notes: string[];
  /** the three things to edit */
  edit: string[];
}

export function init(composeArg: string | undefined, opts: { cwd?: string } = {}): InitResult {
  const cwd = opts.cwd ?? process.cwd();
  const compose = composeArg ?? COMPOSE_NAMES.find((n) => fs.existsSync(path.join(cwd, n)));
  if (!compose)
    throw new UsageError(`no compose file in ${cwd} (${COMPOSE_NAMES.join(", ")})`, "pass one: pinroll init path/to/compose.yml");
  const composeFile = path.resolve(cwd, compose);
  let doc: { services?: Record<string, Record<string, unknown> | null> } | null;
  try {
    doc = YAML.parse(fs.readFileSync(composeFile, "utf8")) as typeof doc;
  } catch (err) {
    throw new UsageError(`cannot read ${compose}: ${(err as Error).message.split("\n")[0]}`);
  }
  if (!doc?.services || typeof doc.services !== "object") throw new UsageError(`${compose} has no services:`);
  const app = appNameFrom(path.basename(cwd));
  const plans = classifyServices(doc.services);
  const registry = projectRegistry(plans);
  const pin = pinGlobs(plans, app, registry);
  const pinrollTaskfile = path.join(installRoot(), "Taskfile.yml");
  const result: InitResult = { app, compose: path.relative(cwd, composeFile), services: plans, wrote: [], kept: [], notes: [], edit: [] };
  const write = (rel: string, text: string) => {
    const file = path.join(cwd, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    try {
      fs.writeFileSync(file, text, { flag: "wx" }); // wx: never overwrite, even in a race
      result.wrote.push(rel);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      result.kept.push(rel);
    }
  };
  write("pinroll.yml", renderConfig({ app, compose: result.compose, registry, pin, plans }));
  write("ansible/inventory.yml", renderInventory(app));
  if (fs.existsSync(path.join(cwd, "Taskfile.yml")) || fs.existsSync(path.join(cwd, "Taskfile.yaml")))
    result.notes.push(includeNote(pinrollTaskfile));
  else write("Taskfile.yml", renderTaskfile(pinrollTaskfile));
  const buildOnly = plans.filter((p) => p.role === "build-only").map((p) => p.service);
  result.edit = [
    `ansible/inventory.yml: your hosts under ${app} (the commented example shows the vars)`,
    `pinroll.yml pin: and registry: where your images come from${buildOnly.length ? ` (give ${buildOnly.join(", ")} an image: in ${result.compose})` : ""}`,
    "pinroll.yml healthcheck: and deploy_dir: the URL that says the app is up, and where it lives on the hosts",
  ];
  return result;
}
