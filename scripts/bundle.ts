// Builds the `pinroll` bin for fast start-up (issue 2: warm overview under 0.3 s whole-process):
// one CommonJS bundle (no module resolution at start) run through a loader that keeps V8's code cache.
// A zx script run from the project root after tsc (`npm run build`).
import { build } from "esbuild";
import { fs, path } from "zx";

const result = await build({
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
  // issue 14: no comments or indentation (3.0 -> 2.2 MB to read and hash at every start), and pure ASCII (esbuild
  // escapes the rest), so the loader reads it as latin1: a one-byte string, no UTF-8 decoding. Stack traces are
  // mapped back to src/ with --verbose, through the source map.
  minifyWhitespace: true,
  charset: "ascii",
  sourcemap: "linked",
  sourcesContent: false,
  write: false,
});
for (const out of result.outputFiles) {
  if (out.path.endsWith(".cjs") && out.contents.some((byte) => byte > 0x7f))
    throw new Error(`${out.path}: not ASCII, the loader reads it as latin1`);
  fs.mkdirSync(path.dirname(out.path), { recursive: true });
  fs.writeFileSync(out.path, out.contents);
}
fs.copyFileSync("scripts/pinroll-loader.cjs", "dist/cli/pinroll.cjs");
fs.chmodSync("dist/cli/pinroll.cjs", 0o755);
fs.rmSync("dist/cli/bundle.cjs.cache", { force: true });
