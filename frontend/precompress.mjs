// Vite plugin: writes `<file>.br` (quality 11) and `<file>.gz` (level 9) beside every compressible hashed file of
// the build, once at build time, so the server sends the smallest encoding without compressing per process
// (hotline/designer/studio/assets.py). Node's own zlib does both: no plugin dependency for ~20 lines. Plain
// JavaScript beside vite.config.ts so the type check (browser types only, no @types/node) stays as it is.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

/** Text files worth compressing (the same list as hotline/designer/studio/assets.py COMPRESSIBLE). */
const COMPRESSIBLE = /\.(js|css|svg|json|map)$/;

export function precompress() {
  return {
    name: "hotline-precompress",
    apply: "build",
    writeBundle(options, bundle) {
      // After the files are on disk: the bytes compressed are exactly the bytes served raw.
      for (const fileName of Object.keys(bundle)) {
        if (!fileName.startsWith("assets/") || !COMPRESSIBLE.test(fileName)) continue;
        const path = join(options.dir ?? "", fileName);
        const raw = readFileSync(path);
        writeFileSync(`${path}.br`, brotliCompressSync(raw, {
          params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length } }));
        writeFileSync(`${path}.gz`, gzipSync(raw, { level: 9 }));
      }
    },
  };
}
