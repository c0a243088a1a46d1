import type { FlagSpec, FlagValues } from '../lib/flags.js';

export const authChoices = ['none', 'memory', 'sql', 'ldap'] as const;
export const databaseChoices = ['sqlite', 'postgresql', 'mysql'] as const;
export const packageManagerChoices = ['npm', 'pnpm', 'yarn'] as const;

export type Auth = (typeof authChoices)[number];
export type Database = (typeof databaseChoices)[number];
export type PackageManager = (typeof packageManagerChoices)[number];

/** Everything the app generator asks, once answered. It is what `.yo-rc.json` keeps. */
export interface AppAnswers {
  name: string;
  description: string;
  auth: Auth;
  /** Set only when `auth` is `sql`. */
  database: Database | undefined;
  cef: boolean;
  docker: boolean;
  port: number;
  workers: number;
  packageManager: PackageManager;
  git: boolean;
  install: boolean;
}

/** The questions, in the order they are asked. `git` and `install` answer `--skip-git/--skip-install`. */
export const questionOrder = [
  'name',
  'description',
  'auth',
  'database',
  'cef',
  'docker',
  'port',
  'workers',
  'packageManager',
  'git',
  'install',
] as const satisfies readonly (keyof AppAnswers)[];

export type QuestionName = (typeof questionOrder)[number];

/** The flags of `create-services-app [directory]`, in `--help` order. */
export const appFlags: readonly FlagSpec[] = [
  {
    name: 'name',
    kind: { type: 'string' },
    placeholder: 'NAME',
    description: 'package name (default: the folder name)',
  },
  {
    name: 'description',
    kind: { type: 'string' },
    placeholder: 'TEXT',
    description: 'one-line description',
  },
  {
    name: 'auth',
    kind: { type: 'choice', choices: authChoices },
    placeholder: authChoices.join('|'),
    description: 'user backend (default: memory)',
  },
  {
    name: 'database',
    kind: { type: 'choice', choices: databaseChoices },
    placeholder: databaseChoices.join('|'),
    description: 'database for --auth sql (default: sqlite)',
  },
  {
    name: 'cef',
    kind: { type: 'boolean', negatable: true },
    description: 'CEF security logging (default: no)',
  },
  {
    name: 'docker',
    kind: { type: 'boolean', negatable: true },
    description: 'Dockerfile and docker-compose.yml (default: yes)',
  },
  {
    name: 'port',
    kind: { type: 'integer', minimum: 1, maximum: 65535 },
    placeholder: 'PORT',
    description: 'port the service listens on (default: 8000)',
  },
  {
    name: 'workers',
    kind: { type: 'integer', minimum: 1, maximum: 64 },
    placeholder: 'N',
    description: 'worker processes (default: 1)',
  },
  {
    name: 'package-manager',
    kind: { type: 'choice', choices: packageManagerChoices },
    placeholder: packageManagerChoices.join('|'),
    description: 'client that installs (default: the one running this command)',
  },
  {
    name: 'yes',
    alias: 'y',
    kind: { type: 'boolean' },
    description: 'take the default for every question not answered by a flag',
  },
  {
    name: 'answers',
    kind: { type: 'string' },
    placeholder: 'FILE|-',
    description: 'read answers from a JSON file (- for stdin); keys are the camel-cased flags',
  },
  { name: 'skip-install', kind: { type: 'boolean' }, description: 'do not install dependencies' },
  { name: 'skip-git', kind: { type: 'boolean' }, description: 'do not create a git repository' },
  {
    name: 'force',
    kind: { type: 'boolean' },
    description: 'write into a folder that is not empty',
  },
  {
    name: 'dry-run',
    kind: { type: 'boolean' },
    description: 'list the files that would be written, write nothing',
  },
  {
    name: 'offline',
    kind: { type: 'boolean' },
    description: 'install from the local package cache only',
  },
  { name: 'help', alias: 'h', kind: { type: 'boolean' }, description: 'show this help' },
  { name: 'version', alias: 'v', kind: { type: 'boolean' }, description: 'show the version' },
];

/**
 * Keys an answers file may hold: the camel-cased flags, except the ones about the command itself.
 * `git` and `install` are answered there as `skipGit` and `skipInstall`, as on the command line.
 */
export const answersFileKeys = new Set<string>([
  ...questionOrder.filter((question) => question !== 'git' && question !== 'install'),
  'skipInstall',
  'skipGit',
  'force',
  'offline',
]);

/** The answer each flag gives, when it was passed. */
export function answersFromFlags(flags: FlagValues): Partial<AppAnswers> {
  const answers: Partial<AppAnswers> = {};
  if (typeof flags.name === 'string') answers.name = flags.name;
  if (typeof flags.description === 'string') answers.description = flags.description;
  if (typeof flags.auth === 'string') answers.auth = flags.auth as Auth;
  if (typeof flags.database === 'string') answers.database = flags.database as Database;
  if (typeof flags.cef === 'boolean') answers.cef = flags.cef;
  if (typeof flags.docker === 'boolean') answers.docker = flags.docker;
  if (typeof flags.port === 'number') answers.port = flags.port;
  if (typeof flags.workers === 'number') answers.workers = flags.workers;
  if (typeof flags.packageManager === 'string') {
    answers.packageManager = flags.packageManager as PackageManager;
  }
  if (flags.skipGit === true) answers.git = false;
  if (flags.skipInstall === true) answers.install = false;
  return answers;
}

/** The flag that answers a question, as the rerun hint writes it. */
export function flagFor(question: QuestionName): string {
  switch (question) {
    case 'packageManager':
      return '--package-manager';
    case 'git':
      return '--skip-git';
    case 'install':
      return '--skip-install';
    default:
      return `--${question}`;
  }
}
