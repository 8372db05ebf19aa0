// Renders the compose override and deploy-info.yml from templates/*.hbs. Every value goes through the `yaml`
// helper (a JSON string is a valid YAML double-quoted scalar): Handlebars escapes HTML, not YAML (STYLE.md 7).
import fs from "node:fs";
import path from "node:path";
import Handlebars from "handlebars";
import { installRoot } from "../paths.js";
import { pinnedRef, type Release } from "./release.js";

const hbs = Handlebars.create();
hbs.registerHelper("yaml", (value: unknown) => new Handlebars.SafeString(JSON.stringify(value ?? "")));

export function templatesDir(): string {
  return path.join(installRoot(), "templates");
}

const compiled = new Map<string, HandlebarsTemplateDelegate>();
function template(name: string): HandlebarsTemplateDelegate {
  let t = compiled.get(name);
  if (!t) {
    t = hbs.compile(fs.readFileSync(path.join(templatesDir(), name), "utf8"), { noEscape: true, strict: false });
    compiled.set(name, t);
  }
  return t;
}

export function renderOverride(release: Release): string {
  const services = Object.fromEntries(Object.entries(release.services).map(([k, s]) => [k, { ref: pinnedRef(s) }]));
  return template("docker-compose.override.yml.hbs")({ ...release, services });
}

export function renderDeployInfo(release: Release): string {
  return template("deploy-info.yml.hbs")(release);
}
