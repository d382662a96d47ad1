import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// `npm run dev` serves the client with hot reload and sends API calls to a running `cryptotalks dev`
// (same origin for the browser, so the httpOnly refresh cookie works).
const apiOrigin = process.env.CRYPTOTALKS_API ?? "http://127.0.0.1:3000";

export default defineConfig({
  plugins: [react()],
  server: {
    proxy: { "/api": apiOrigin, "/dev": apiOrigin },
  },
  build: {
    outDir: "dist",
    sourcemap: true,
  },
  test: {
    include: ["src/**/*.test.{ts,tsx}"],
    environment: "node",
  },
});
