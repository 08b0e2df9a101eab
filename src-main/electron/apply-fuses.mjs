#!/usr/bin/env node
// `npm run package:fuses -- <path to the packaged Electron binary>`: flips the fuses of fuses.ts.
import { register } from 'tsx/esm/api';

register();
const binary = process.argv[2];
if (!binary) {
  process.stderr.write('usage: npm run package:fuses -- <path to the packaged Electron binary>\n');
  process.exit(2);
}
const { applyFuses } = await import('./fuses.ts');
await applyFuses(binary);
process.stdout.write(`Electron fuses set in ${binary}\n`);
