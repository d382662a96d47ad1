// ESLint (flat config): JavaScript's and typescript-eslint's recommended rules, and React's rules of hooks.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  // src/api/openapi.ts is generated from schemas/openapi.json (npm run generate:api).
  { ignores: ["dist", "e2e/screenshots", "src/api/openapi.ts"] },
  js.configs.recommended,
  tseslint.configs.recommended,
  reactHooks.configs.flat.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
  },
);
