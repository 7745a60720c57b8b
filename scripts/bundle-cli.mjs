#!/usr/bin/env node
/**
 * Bundles the compiled CLI into dist/cli/ (run by `npm run build` after tsc; bin/ihasim.js loads it).
 *
 * Why: Node 20 resolves, reads and links each ES module on its own, and a multi-seed `ihasim run` loads ~200 of them
 * before its first seed (~0.1 s of every command on this 2-core machine; Node 20 has no module compile cache).
 * esbuild folds them into a few files. Code splitting keeps the CLI lazy: each command is a chunk imported when it
 * runs, so `ihasim --help` still loads no server, checker or planner. The seed worker is a second entry beside the
 * chunks, where harness/run/ordered-pool.ts looks for it. npm packages stay external: they resolve from
 * node_modules as before. The library (dist/index.js) is not bundled.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** npm packages every command loads; bundled, they are parsed with the chunks instead of by Node's CJS loader. */
const INLINED = new Set(['yaml', 'xstate', 'commander']);

/** Keeps bare imports (npm packages) external but for those in `inlined`. */
function externalExcept(inlined) {
  return {
    name: 'external-except',
    setup(b) {
      b.onResolve({ filter: /^[^./]/ }, (args) => {
        const name = args.path.startsWith('@') ? args.path.split('/').slice(0, 2).join('/') : args.path.split('/')[0];
        return inlined.has(name) ? undefined : { path: args.path, external: true };
      });
    },
  };
}

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/cli`;

// esbuild names chunks by content hash: clear the old ones so dist/cli holds one build.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: {
    launch: `${root}dist/harness/cli/launch.js`,
    'seed-worker': `${root}dist/harness/run/seed-worker.js`,
  },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  plugins: [externalExcept(INLINED)],
  sourcemap: true,
  // The inlined CommonJS packages require Node's built-ins (`require('node:events')`): give each chunk a require.
  banner: { js: "import { createRequire as __ihasimCreateRequire } from 'node:module'; const require = __ihasimCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
