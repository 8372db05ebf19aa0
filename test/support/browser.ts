// Debian's chromium driven by puppeteer-core (issue 13): never a downloaded browser. Root needs --no-sandbox.
import fs from "node:fs";
import { PNG } from "pngjs";
import puppeteer, { type Browser } from "puppeteer-core";

export const CHROMIUM = "/usr/bin/chromium";

export async function launchBrowser(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} missing: run scripts/setup.sh (it installs Debian's chromium)`);
  return puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...(process.getuid?.() === 0 ? ["--no-sandbox"] : []), "--disable-gpu", "--no-first-run"],
  });
}

/** Width, height and how many distinct colours a PNG has: a blank page has one. */
export function pngStats(file: string): { width: number; height: number; colours: number } {
  const png = PNG.sync.read(fs.readFileSync(file));
  const colours = new Set<number>();
  for (let i = 0; i < png.data.length; i += 4) colours.add(png.data.readUInt32BE(i));
  return { width: png.width, height: png.height, colours: colours.size };
}
