#!/usr/bin/env -S node --
// Runs dist/cli/bundle.cjs with V8's code cache beside it: compiling the bundle is the largest start-up cost.
// The cache is (re)written on exit when missing or rejected (a new Node version); failing to write it is harmless.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");
const Module = require("node:module");

const file = path.join(__dirname, "bundle.cjs");
if (process.argv.includes("--verbose")) {
  // Stack traces in terms of src/*.ts: Node applies the bundle's source map to a module it compiles itself.
  process.setSourceMapsEnabled(true);
  require(file);
  return;
}
const cacheFile = `${file}.cache`;
let cachedData;
try {
  cachedData = fs.readFileSync(cacheFile);
} catch {
  cachedData = undefined;
}
// latin1: the bundle is pure ASCII (scripts/bundle.ts checks), so this is exact and skips UTF-8 decoding.
const script = new vm.Script(Module.wrap(fs.readFileSync(file, "latin1")), {
  filename: file,
  cachedData,
  importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
});
if (!cachedData || script.cachedDataRejected) {
  process.once("exit", () => {
    try {
      fs.writeFileSync(`${cacheFile}.${process.pid}`, script.createCachedData());
      fs.renameSync(`${cacheFile}.${process.pid}`, cacheFile);
    } catch {
      // a read-only install simply runs without the cache
    }
  });
}
const bundleModule = new Module(file, module);
bundleModule.filename = file;
bundleModule.paths = Module._nodeModulePaths(__dirname);
script.runInThisContext()(bundleModule.exports, require, bundleModule, file, __dirname);
