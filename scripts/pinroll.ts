#!/usr/bin/env node
// The `pinroll` bin: compiled ahead of time so every call starts fast (no on-the-fly transpiling).
import { main } from "../src/cli.js";

process.exitCode = await main(process.argv.slice(2));
