import { defineConfig } from "vitest/config";

// One config for the whole monorepo. Unit tests sit beside the code (`*.test.ts`); tests that need
// real NATS / MongoDB-protocol servers are `*.int.test.ts` and take them from the `infra` fixture of
// @chorus/testing, whose global setup starts one nats-server and one FerretDB per worker slot.
export default defineConfig({
  test: {
    include: [
      "libs/*/src/**/*.test.ts",
      "services/*/src/**/*.test.ts",
      "services/*/bench/**/*.test.ts",
      "libs/*/scripts/**/*.test.ts",
      "deploy/**/*.test.ts",
      "scripts/**/*.test.ts",
    ],
    globalSetup: ["libs/testing/src/global-setup.ts"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
