#!/usr/bin/env node
// Entry point of the `sonotype` command. The engine is TypeScript; tsx compiles
// it on the fly so `npx sonotype …` works straight after `npm install`,
// without a build step.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('./main.ts');
process.exitCode = await runCli(process.argv.slice(2));
