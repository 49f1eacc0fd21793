import type { Plugin } from "vite";
/** Writes .br and .gz beside every compressible hashed file of the build (precompress.mjs). */
export function precompress(): Plugin;
