import { defineConfig } from "vitest/config";

// The browser journey against a running site: CRYPTOTALKS_URL=http://127.0.0.1:3000 npm run e2e
export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    environment: "node",
    testTimeout: 180_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    // The API's answers, not a fixed pace: a busy machine (the tests share it) answers a vote in over a second.
    expect: { poll: { timeout: 10_000 } },
  },
});
