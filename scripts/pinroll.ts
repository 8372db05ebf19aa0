// The `pinroll` entry: bundled by scripts/bundle.ts into dist/cli/ (see there for why).
import { main } from "../src/cli.js";

void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
