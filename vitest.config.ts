import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Integration tests share one Docker daemon and host ports; files run one at a time, tests inside in order.
    fileParallelism: false,
    reporters: ["default"],
  },
});
