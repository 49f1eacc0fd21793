// Builds the designer into ../static/designer, served by Flask under /static/designer/. The manifest maps the
// entry to its hashed files; the studio page template reads it to emit the <script>/<link> tags. Each kind's
// editor is a chunk of its own (src/shell/DocumentPage.tsx editorFor); every hashed text file also gets a
// brotli and a gzip copy (precompress.mjs) that the server sends to browsers accepting them.
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { precompress } from "./precompress.mjs";

export default defineConfig({
  plugins: [react(), precompress()],
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
