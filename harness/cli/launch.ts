/**
 * What bin/ihasim.js runs: the CLI and the V8 setting of its process. `npm run build` bundles this module (and the
 * seed worker) into dist/cli/ with scripts/bundle-cli.mjs, so a command starts without loading ~200 modules one by one.
 */
export { main } from './main.js';
export { tuneV8ForSimulation } from '../v8-tuning.js';
