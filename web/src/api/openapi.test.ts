import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { expect, it } from "vitest";

// Other branches change endpoints: their schemas/openapi.json must come with a regenerated src/api/openapi.ts.
it("src/api/openapi.ts is what `npm run generate:api` writes from schemas/openapi.json", () => {
  const checked = spawnSync("npm", ["run", "--silent", "check:api"], {
    cwd: fileURLToPath(new URL("../..", import.meta.url)),
    encoding: "utf8",
  });
  expect(checked.status, `${checked.stdout}${checked.stderr}\nRun \`npm run generate:api\` in web/.`).toBe(0);
}, 60_000);
