// Builds the `pinroll` bin for fast start-up (issue 2: warm overview under 0.3 s whole-process):
// one CommonJS bundle (no module resolution at start) run through a loader that keeps V8's code cache.
// A zx script run from the project root after tsc (`npm run build`).
import { build } from "esbuild";
import { fs } from "zx";

await build({
  entryPoints: ["scripts/pinroll.ts"],
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  outfile: "dist/cli/bundle.cjs",
  // ESM modules that locate files by import.meta.url get the bundle's own URL.
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  logLevel: "warning",
});
fs.copyFileSync("scripts/pinroll-loader.cjs", "dist/cli/pinroll.cjs");
fs.chmodSync("dist/cli/pinroll.cjs", 0o755);
fs.rmSync("dist/cli/bundle.cjs.cache", { force: true });
