import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import { defineConfig, type Plugin } from 'vite';

/**
 * The lab's build: lab/ → dist/lab/, served by the service at / (index.html)
 * and /lab/ (hashed assets). `npm run build` runs it after tsc; `npm run
 * dev:lab` serves it with live reload, the API proxied to a service on :3000.
 */

const labRoot = fileURLToPath(new URL('.', import.meta.url));
const defaultOutDir = fileURLToPath(new URL('../dist/lab/', import.meta.url));

/** Brotli and gzip copies of every text asset, which @fastify/static sends to clients that accept them (preCompressed). */
function precompress(): Plugin {
  let outDir = defaultOutDir;
  return {
    name: 'activation-lab:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir;
    },
    async closeBundle() {
      const files = await readdir(outDir, { recursive: true });
      await Promise.all(
        files
          .filter((file) => /\.(js|css|html|svg|json)$/.test(file))
          .map(async (file) => {
            const path = join(outDir, file);
            const content = await readFile(path);
            const [br, gz] = await Promise.all([
              promisify(brotliCompress)(content, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
              promisify(gzip)(content, { level: 9 }),
            ]);
            await Promise.all([writeFile(`${path}.br`, br), writeFile(`${path}.gz`, gz)]);
          }),
      );
    },
  };
}

export default defineConfig({
  root: labRoot,
  base: '/lab/',
  // The lab ships no public/ folder of its own.
  publicDir: false,
  build: {
    outDir: defaultOutDir,
    emptyOutDir: true,
    target: 'es2022',
    // vega and vega-lite are one large chunk whatever the split; the warning would only repeat that.
    chunkSizeWarningLimit: 1500,
  },
  plugins: [precompress()],
  server: {
    host: '127.0.0.1',
    proxy: { '/v1': 'http://127.0.0.1:3000', '/openapi.json': 'http://127.0.0.1:3000' },
  },
});
