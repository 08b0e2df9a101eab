#!/usr/bin/env node
// `npm run serve -- <project-folder> [--port N]`: the app in a browser, over loopback.
import { register } from 'tsx/esm/api';

register();
const { runServeCommand } = await import('./serve-command.ts');
process.exitCode = await runServeCommand(process.argv.slice(2));
