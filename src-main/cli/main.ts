/**
 * The `sonotype` command line: a thin layer over the plain-Node engine. Each
 * command lives in commands/<name>.ts and gets parsed arguments plus an IO
 * object, so tests drive it in-process.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { toErrorInfo } from '../../src-shared/errors';
import { EXIT_FAILURE, EXIT_USAGE, UsageError } from './exit-codes';
import { processIo, type CliIo } from './output';
import { scanCommand } from './commands/scan';
import { featuresCommand } from './commands/features';
import { modelCommand } from './commands/model';
import { detectCommand } from './commands/detect';
import { evalCommand } from './commands/eval';
import { trainCommand } from './commands/train';
import { importCommand } from './commands/import';
import { exportCommand } from './commands/export';
import { workerCommand } from './commands/worker';
import { clusterCommand, typesCommand } from './commands/cluster';

/** One CLI command: its flags, a one-line synopsis and the code that runs it. */
export interface CliCommand {
  name: string;
  synopsis: string;
  options: NonNullable<ParseArgsConfig['options']>;
  run(args: { positionals: string[]; values: Record<string, unknown>; io: CliIo }): Promise<number>;
}

const COMMANDS: CliCommand[] = [scanCommand, featuresCommand, modelCommand, trainCommand, detectCommand, evalCommand, importCommand, exportCommand, workerCommand, clusterCommand, typesCommand];

export function usageText(): string {
  return [
    'Usage: sonotype <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.synopsis}`),
    '',
    'Exit codes: 0 success (per-file errors are listed, not fatal), 1 failure, 2 usage error.',
  ].join('\n');
}

/** Runs the CLI and returns the process exit code. Never throws. */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(usageText());
    return name ? 0 : EXIT_USAGE;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.err(`sonotype: unknown command '${name}'\n\n${usageText()}`);
    return EXIT_USAGE;
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    return await command.run({ positionals: parsed.positionals, values: parsed.values, io });
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`sonotype ${name}: ${error.message}\nUsage: ${command.synopsis.trim()}`);
      return EXIT_USAGE;
    }
    const info = toErrorInfo(error);
    io.err(`sonotype ${name}: ${info.message}${info.code === 'INTERNAL' ? '' : ` [${info.code}]`}`);
    return EXIT_FAILURE;
  }
}
