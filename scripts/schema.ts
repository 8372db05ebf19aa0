// `npm run schema`: the JSON Schema of pinroll.yml for editor completion, generated from the zod schema (STYLE.md 6).
import { jsonSchema } from "../src/config/schema.js";

process.stdout.write(`${JSON.stringify(jsonSchema(), null, 2)}\n`);
