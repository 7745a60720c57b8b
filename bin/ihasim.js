#!/usr/bin/env node
// Thin launcher: the CLI is compiled to dist/ by `npm install` (prepare) or `npm run build`.
import { tuneV8ForSimulation } from '../dist/harness/v8-tuning.js';
import { main } from '../dist/harness/cli/main.js';

tuneV8ForSimulation();
process.exitCode = await main(process.argv.slice(2));
