// Builds the designer into ../static/designer, served by Flask under /static/designer/. The manifest maps the
// entry to its hashed files; the studio page template reads it to emit the <script>/<link> tags.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

export default defineConfig({
  plugins: [react()],
  base: "/static/designer/",
  build: {
    outDir: "../static/designer",
    emptyOutDir: true,
    manifest: true,
    sourcemap: false,
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: { designer: "src/main.tsx", reports: "src/reports/main.ts" } },
  },
});
