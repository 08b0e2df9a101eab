#!/usr/bin/env node
// `npm run bench [-- <name filter>…]`: prints one JSON object per line.
import { register } from 'tsx/esm/api';

register();
const { runBenchmarks } = await import('./run-benchmarks.ts');
process.exitCode = await runBenchmarks(process.argv.slice(2));
