import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // The machine has 2 cores; e2e tests spawn the CLI.
    maxWorkers: 2,
  },
});
