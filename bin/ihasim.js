#!/usr/bin/env node
// Thin launcher: the CLI is compiled and bundled into dist/cli/ by `npm install` (prepare) or `npm run build`.
import { main, tuneV8ForSimulation } from '../dist/cli/launch.js';

tuneV8ForSimulation();
process.exitCode = await main(process.argv.slice(2));
