import type { Readable, Writable } from 'node:stream';
import { isAcceptableUsername, readUsernamePattern } from '../auth/basic/username-policy.js';
import { loadBackend } from '../auth/backend-registry.js';
import { isStrongPassword } from '../auth/passwords/password-strength.js';
import type { UserBackend } from '../auth/types.js';
import type { Config } from '../config/config.js';
import { loadConfig } from '../config/load-config.js';
import { errorMessage } from '../errors/error-message.js';
import { ServiceError } from '../errors/service-error.js';
import { createLogger } from '../log/logger.js';
import { readFirstLine } from './read-first-line.js';

export interface CommandIo {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
  env: Record<string, string | undefined>;
}

/** Exit codes: success, a failure the message explains, a usage mistake. */
export const exitCodes = { ok: 0, failure: 1, usage: 2 } as const;

const actions = ['add', 'passwd', 'delete', 'list'] as const;
type Action = (typeof actions)[number];

export const usage = `Usage: services-runtime users <add|passwd|delete|list> [USER] --config FILE

Manages the users of the backend that the [auth] section of FILE configures.

  users add USER      create USER; the password is the first line of standard input
  users passwd USER   set a new password for USER, read the same way
  users delete USER   delete USER
  users list          print every user name, one per line

Options:
  --config FILE       the service's configuration (default: $SERVICES_CONFIG)
  -h, --help          show this help

Passwords are never taken from the command line, where other users and the shell history could
see them:  printf '%s\\n' "$PASSWORD" | services-runtime users add alice --config etc/app.ini

Exit status: 0 done, 1 failed (the message says why), 2 wrong usage.`;

interface Arguments {
  action: Action;
  username: string | undefined;
  configFile: string;
}

/**
 * Runs `services-runtime users ...` with the given arguments (without the node and script paths)
 * and streams, and resolves with the exit code. Loads the configuration with `loadConfig` and the
 * backend through the registry, exactly as the service does, so a user added here authenticates
 * in the service when the backend is shared (sql, ldap).
 *
 * ```ts
 * process.exitCode = await run(process.argv.slice(2), { stdin, stdout, stderr, env: process.env });
 * ```
 */
export async function run(argv: readonly string[], io: CommandIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(usage + '\n');
    return exitCodes.ok;
  }
  const parsed = parseArguments(argv, io.env);
  if (typeof parsed === 'string') {
    io.stderr.write(`services-runtime: ${parsed}\n\n${usage}\n`);
    return exitCodes.usage;
  }
  try {
    return await runAction(parsed, io);
  } catch (error) {
    io.stderr.write(`services-runtime: ${describe(error)}\n`);
    return exitCodes.failure;
  }
}

function parseArguments(argv: readonly string[], env: CommandIo['env']): Arguments | string {
  const positional: string[] = [];
  let configFile = env.SERVICES_CONFIG || undefined;
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (argument === '--config') {
      const value = argv[index + 1];
      if (value === undefined || value.startsWith('-')) return '--config needs a file name';
      configFile = value;
      index += 1;
    } else if (argument.startsWith('--config=')) {
      configFile = argument.slice('--config='.length);
    } else if (argument.startsWith('-')) {
      return `unknown option ${argument}`;
    } else {
      positional.push(argument);
    }
  }

  const [command, action, username, ...extra] = positional;
  if (command !== 'users') {
    return command === undefined ? 'no command given' : `unknown command "${command}"`;
  }
  if (!actions.includes(action as Action)) {
    return action === undefined ? 'users needs an action' : `unknown action "${action}"`;
  }
  if (action === 'list' ? username !== undefined : username === undefined) {
    return action === 'list'
      ? 'users list takes no user name'
      : `users ${action} needs a user name`;
  }
  if (extra.length > 0) return `unexpected argument "${extra[0]}"`;
  if (!configFile) return 'no configuration: pass --config FILE or set SERVICES_CONFIG';
  return { action: action as Action, username, configFile };
}

async function runAction(
  { action, username, configFile }: Arguments,
  io: CommandIo,
): Promise<number> {
  const config = loadConfig(configFile, { env: io.env });
  if (!config.hasSection('auth')) {
    io.stderr.write(
      `services-runtime: ${configFile} has no [auth] section; add one (see docs/auth.md)\n`,
    );
    return exitCodes.failure;
  }
  const logger = createLogger({
    name: 'services-runtime',
    stream: io.stderr,
    format: 'text',
    level: 'warn',
  });
  const backend = await loadBackend(config, { logger });
  try {
    if (action === 'list') return await listUsers(backend, io);
    if (action === 'delete') return await deleteUser(backend, username!, io);
    return await setPassword(action, backend, config, username!, io);
  } finally {
    await backend.close();
  }
}

async function listUsers(backend: UserBackend, io: CommandIo): Promise<number> {
  for (const name of await backend.list()) io.stdout.write(name + '\n');
  return exitCodes.ok;
}

async function deleteUser(backend: UserBackend, username: string, io: CommandIo): Promise<number> {
  if (!(await backend.delete(username))) {
    io.stderr.write(`services-runtime: no user "${username}"; "users list" shows who exists\n`);
    return exitCodes.failure;
  }
  io.stdout.write(`deleted user "${username}"\n`);
  return exitCodes.ok;
}

async function setPassword(
  action: 'add' | 'passwd',
  backend: UserBackend,
  config: Config,
  username: string,
  io: CommandIo,
): Promise<number> {
  // 1. the name must be one the authenticator would accept
  if (!isAcceptableUsername(readUsernamePattern(config), username)) {
    io.stderr.write(`services-runtime: "${username}" does not match [auth] username_pattern\n`);
    return exitCodes.failure;
  }

  // 2. the password, from standard input only
  if ((io.stdin as Readable & { isTTY?: boolean }).isTTY) {
    io.stderr.write('Password (shown as typed; pipe it in to avoid that): ');
  }
  const password = await readFirstLine(io.stdin);
  if (!password) {
    io.stderr.write(
      'services-runtime: no password on standard input; pipe it in as the first line\n',
    );
    return exitCodes.failure;
  }
  if (!isStrongPassword(username, password)) {
    io.stderr.write(
      'services-runtime: the password is too weak: it needs at least 8 bytes and must differ from the user name\n',
    );
    return exitCodes.failure;
  }

  // 3. the change
  if (action === 'add') return addUser(backend, username, password, io);
  if (!(await backend.changePassword(username, password))) {
    io.stderr.write(`services-runtime: no user "${username}"; create it with "users add"\n`);
    return exitCodes.failure;
  }
  io.stdout.write(`changed the password of "${username}"\n`);
  return exitCodes.ok;
}

async function addUser(
  backend: UserBackend,
  username: string,
  password: string,
  io: CommandIo,
): Promise<number> {
  if (await backend.lookup(username)) {
    io.stderr.write(
      `services-runtime: user "${username}" already exists; use "users passwd" to change its password\n`,
    );
    return exitCodes.failure;
  }
  await backend.create(username, password);
  io.stdout.write(`added user "${username}"\n`);
  return exitCodes.ok;
}

function describe(error: unknown): string {
  if (error instanceof ServiceError) return `${error.message} (${error.code})`;
  return errorMessage(error);
}
