import { defineConfig } from "vitest/config";

// One config for the whole monorepo. Unit tests sit beside the code (`*.test.ts`); tests that
// need real NATS / MongoDB-protocol servers are `*.int.test.ts` and get them from the worker-scoped
// fixtures in @chorus/testing.
export default defineConfig({
  test: {
    include: ["libs/*/src/**/*.test.ts", "services/*/src/**/*.test.ts", "libs/*/scripts/**/*.test.ts"],
    pool: "forks",
    testTimeout: 30_000,
    hookTimeout: 120_000,
    reporters: ["default"],
  },
});
