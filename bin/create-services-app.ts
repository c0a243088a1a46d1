#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  answersFileKeys,
  appFlags,
  answersFromFlags,
  type AppAnswers,
} from '../generators/app/answers.js';
import { controllerFlags } from '../generators/controller/flags.js';
import {
  formatFlagHelp,
  parseCommandLine,
  readValue,
  type FlagValues,
} from '../generators/lib/flags.js';
import { GeneratorError, isGeneratorError } from '../generators/lib/generator-error.js';
import { interruptedMessage, runInterruptCleanups } from '../generators/lib/interrupt.js';
import { packageRoot } from '../generators/lib/package-root.js';
import { parseProjectName } from '../generators/lib/validate-name.js';

const here = dirname(fileURLToPath(import.meta.url));

const appUsage = `Usage: create-services-app [directory] [options]
       create-services-app controller NAME [--path P] [--methods GET,POST] [--auth]

Creates a service repository built on services-runtime. Without a terminal (or with CI set),
every question needs a flag, an --answers file or --yes.

Options:
${formatFlagHelp(appFlags)}
`;

const controllerUsage = `Usage: create-services-app controller NAME [options]

Adds a controller, its routes and a test to the service in this folder (or a parent).

Options:
${formatFlagHelp(controllerFlags)}
`;

function version(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}

/** Reads `--answers FILE` (or `-` for stdin) into flag values, checked like the flags themselves. */
function readAnswersFile(source: string): FlagValues {
  let text: string;
  try {
    text = source === '-' ? readFileSync(0, 'utf8') : readFileSync(source, 'utf8');
  } catch (error) {
    throw new GeneratorError(
      'GEN_ERR_ANSWERS_FILE',
      `cannot read the answers file ${source}: ${(error as Error).message}`,
    );
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new GeneratorError(
      'GEN_ERR_ANSWERS_FILE',
      `the answers file ${source} is not JSON: ${(error as Error).message}`,
    );
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new GeneratorError(
      'GEN_ERR_ANSWERS_FILE',
      `the answers file ${source} must hold one JSON object`,
    );
  }
  const values: FlagValues = {};
  for (const [key, value] of Object.entries(data)) {
    const spec = appFlags.find(
      (flag) => flag.name.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()) === key,
    );
    if (!spec || !answersFileKeys.has(key)) {
      throw new GeneratorError(
        'GEN_ERR_ANSWERS_FILE',
        `unknown key "${key}" in the answers file ${source}; the keys are ${[...answersFileKeys].join(', ')}`,
      );
    }
    try {
      values[key] = readValue(spec, value, `"${key}" in ${source}`);
    } catch (error) {
      throw new GeneratorError('GEN_ERR_ANSWERS_FILE', (error as Error).message);
    }
  }
  return values;
}

async function runGenerator(
  namespace: string,
  modulePath: string,
  options: Record<string, unknown>,
): Promise<void> {
  // loaded here, not at the top: it takes about a second, which --help and --version should not pay
  const { createEnv } = await import('yeoman-environment');
  const env = createEnv({ cwd: process.cwd(), skipInstall: true });
  env.register(modulePath, { namespace });
  await env.run([namespace], { ...options, skipInstall: true } as never);
}

async function runApp(argv: string[]): Promise<void> {
  const { flags, positionals } = parseCommandLine(argv, appFlags);
  if (flags.help) return void process.stdout.write(appUsage);
  if (flags.version) return void process.stdout.write(`${version()}\n`);
  if (positionals.length > 1) {
    throw new GeneratorError(
      'GEN_ERR_USAGE',
      `one directory at most, got ${positionals.map((p) => JSON.stringify(p)).join(' ')}; see --help`,
    );
  }

  // 1. answers: the file first, flags on top of it
  const fromFile = typeof flags.answers === 'string' ? readAnswersFile(flags.answers) : {};
  const merged: FlagValues = { ...fromFile, ...flags };
  const preset: Partial<AppAnswers> = answersFromFlags(merged);

  // 2. the name before anything else; `@scope/name` as the directory means that name, in ./name
  let directory = positionals[0];
  if (directory !== undefined && /^@[^/]+\/[^/]+$/.test(directory) && preset.name === undefined) {
    preset.name = directory;
    directory = parseProjectName(directory, 'name').bare;
  }
  if (preset.name !== undefined) parseProjectName(preset.name, 'name (--name)');

  const commandLine = ['create-services-app', ...argv.map(quoteForShell)].join(' ');
  await runGenerator('services-app:app', join(here, '../generators/app/index.js'), {
    directory,
    preset,
    yes: merged.yes === true,
    force: merged.force === true,
    dryRun: merged.dryRun === true,
    offline: merged.offline === true,
    commandLine,
  });
}

async function runController(argv: string[]): Promise<void> {
  const { flags, positionals } = parseCommandLine(argv, controllerFlags);
  if (flags.help) return void process.stdout.write(controllerUsage);
  if (positionals.length !== 1) {
    throw new GeneratorError(
      'GEN_ERR_USAGE',
      'controller needs exactly one NAME: create-services-app controller orders',
    );
  }
  await runGenerator('services-app:controller', join(here, '../generators/controller/index.js'), {
    controllerName: positionals[0],
    ...flags,
  });
}

function quoteForShell(argument: string): string {
  return /^[\w@%+=:,./-]+$/.test(argument) ? argument : `'${argument.replace(/'/g, `'\\''`)}'`;
}

function isPromptExit(error: unknown): boolean {
  return (
    error instanceof Error &&
    (error.name === 'ExitPromptError' || error.name === 'AbortPromptError')
  );
}

/**
 * The signals that end a run early, with the status a shell reports for each (128 + its number):
 * Ctrl-C, a supervisor or CI timeout stopping the job, the terminal closing. Each removes the
 * staging folder and stops the install, as an uncaught signal would not.
 */
const interruptSignals = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

function stopOnSignals(): void {
  for (const [signal, status] of Object.entries(interruptSignals)) {
    process.once(signal, () => {
      runInterruptCleanups();
      reportInterrupted();
      process.exit(status);
    });
  }
}

/** Tells what the interrupt left: nothing, or the project already complete; returns its status. */
function reportInterrupted(): number {
  const interrupted = new GeneratorError('GEN_ERR_INTERRUPTED', interruptedMessage());
  process.stderr.write(`\ncreate-services-app: ${interrupted.message} [${interrupted.code}]\n`);
  return interrupted.exitCode;
}

async function main(): Promise<void> {
  stopOnSignals();

  const argv = process.argv.slice(2);
  try {
    if (argv[0] === 'controller') await runController(argv.slice(1));
    else await runApp(argv);
  } catch (error) {
    runInterruptCleanups();
    if (isPromptExit(error)) {
      process.exitCode = reportInterrupted();
    } else if (isGeneratorError(error)) {
      process.stderr.write(`create-services-app: ${error.message} [${error.code}]\n`);
      process.exitCode = error.exitCode;
    } else {
      process.stderr.write(
        `create-services-app: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exitCode = 1;
    }
  }
}

await main();
