// Reads a Dockerfile and a .dockerignore as Docker does, far enough for the generated ones, and
// carries out a stage's steps on this machine: no engine runs here, so each stage gets a folder
// that stands for its file system and the steps run in it.
import { spawnSync } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, posix, relative } from 'node:path';

export interface Instruction {
  keyword: string;
  /** The arguments, continuation lines joined, flags such as `--from=build` removed. */
  args: string;
  flags: Record<string, string>;
  line: number;
}

export interface Stage {
  name: string | undefined;
  image: string;
  instructions: Instruction[];
}

/** The instructions of a Dockerfile by stage; comments, directives and continuations resolved. */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const instruction of instructions(text)) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
    } else {
      const stage = stages.at(-1);
      if (!stage) throw new Error(`line ${instruction.line}: ${instruction.keyword} before FROM`);
      stage.instructions.push(instruction);
    }
  }
  return stages;
}

function instructions(text: string): Instruction[] {
  const result: Instruction[] = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const first = index + 1;
    let source = lines[index]!;
    if (/^\s*(#|$)/.test(source)) continue;
    while (source.endsWith('\\') && index + 1 < lines.length) {
      source = source.slice(0, -1) + ' ' + lines[++index]!.trim();
    }
    const [, keyword = '', rest = ''] = /^\s*(\S+)\s*(.*)$/.exec(source) ?? [];
    const flags: Record<string, string> = {};
    const args = rest.replace(/^(?:--([a-z-]+)=(\S+)\s+)+/, (all) => {
      for (const [, flag, value] of all.matchAll(/--([a-z-]+)=(\S+)/g)) flags[flag!] = value!;
      return '';
    });
    result.push({ keyword: keyword.toUpperCase(), args: args.trim(), flags, line: first });
  }
  return result;
}

/** `ENV A=1 B=2` as a map (the legacy `ENV A 1` form too). */
export function envOf(instruction: Instruction): Record<string, string> {
  if (!instruction.args.includes('=')) {
    const [key = '', ...value] = instruction.args.split(/\s+/);
    return { [key]: value.join(' ') };
  }
  const pairs = instruction.args.match(/[A-Za-z_][A-Za-z0-9_]*=("[^"]*"|\S*)/g) ?? [];
  return Object.fromEntries(
    pairs.map((pair) => {
      const [key, value = ''] = pair.split(/=(.*)/s);
      return [key!, value.replace(/^"(.*)"$/, '$1')];
    }),
  );
}

/** A shell glob of one path (`*`, `?`, `[...]`, none crossing `/`) as a regular expression. */
function globPattern(glob: string): RegExp {
  const body = glob
    .split('')
    .map((char) => {
      if (char === '*') return '[^/]*';
      if (char === '?') return '[^/]';
      if (char === '[' || char === ']') return char;
      return char.replace(/[.+^${}()|\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${body}$`);
}

/**
 * Whether .dockerignore excludes `path` (relative, with `/`): a pattern matches the path or one
 * of its parent folders, as Docker's matcher does. Exceptions (`!`) are not used by the
 * generated file; meeting one throws rather than guessing.
 */
export function dockerIgnored(patterns: string[], path: string): boolean {
  const parts = path.split('/');
  return patterns.some((pattern) => {
    if (pattern.startsWith('!')) throw new Error(`.dockerignore exception not handled: ${pattern}`);
    const regex = globPattern(posix.normalize(pattern.replace(/^\/+/, '')));
    return parts.some((_, index) => regex.test(parts.slice(0, index + 1).join('/')));
  });
}

export function readDockerignore(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

/** Copies `project` into `context` without what .dockerignore excludes: the build context. */
export function buildContext(project: string, patterns: string[], context: string): void {
  cpSync(project, context, {
    recursive: true,
    filter: (source) => {
      const path = relative(project, source).split('\\').join('/');
      return path === '' || !dockerIgnored(patterns, path);
    },
  });
}

/** The files of `folder` matching a COPY source (a glob in its last part only). */
function matchSource(folder: string, source: string): string[] {
  const directory = posix.dirname(source);
  const base = posix.basename(source);
  if (!/[*?[]/.test(base)) return existsSync(join(folder, source)) ? [source] : [];
  if (!existsSync(join(folder, directory))) return [];
  return readdirSync(join(folder, directory))
    .filter((entry) => globPattern(base).test(entry))
    .map((entry) => posix.join(directory, entry));
}

/**
 * The sources a COPY takes from `folder`; like Docker, a missing plain source is an error, and so
 * is a list of globs that match nothing.
 */
export function copySources(folder: string, sources: string[]): string[] {
  const found = sources.flatMap((source) => {
    const matches = matchSource(folder, source);
    if (matches.length === 0 && !/[*?[]/.test(source)) throw new Error(`COPY: ${source} not found`);
    return matches;
  });
  if (found.length === 0) throw new Error(`COPY: nothing matches ${sources.join(' ')}`);
  return found;
}

export interface StageRun {
  /** The folder standing for the stage's `/`. */
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string | undefined;
  /** Accounts the stage creates (`groupadd` / `useradd`), by name, with their ids. */
  accounts: Record<string, { uid?: number; gid?: number }>;
  entrypoint: string[];
  cmd: string[];
}

export interface RunStageOptions {
  stage: Stage;
  root: string;
  context: string;
  /** Earlier stages by name, for `COPY --from`. */
  stages: Record<string, StageRun>;
  /** Environment of this machine added under the stage's own (PATH, the npm cache). */
  hostEnv: Record<string, string>;
}

/** Carries out a stage's instructions in `root`; see `runCommand` for which RUN steps run. */
export function runStage(options: RunStageOptions): StageRun {
  const run: StageRun = {
    root: options.root,
    workdir: '/',
    env: {},
    user: undefined,
    accounts: {},
    entrypoint: [],
    cmd: [],
  };
  mkdirSync(options.root, { recursive: true });
  for (const instruction of options.stage.instructions) step(instruction, run, options);
  return run;
}

function step(instruction: Instruction, run: StageRun, options: RunStageOptions): void {
  const inside = (path: string): string => join(run.root, posix.resolve(run.workdir, path));
  switch (instruction.keyword) {
    case 'WORKDIR':
      run.workdir = posix.resolve(run.workdir, instruction.args);
      mkdirSync(inside('.'), { recursive: true });
      return;
    case 'ENV':
      Object.assign(run.env, envOf(instruction));
      return;
    case 'USER':
      run.user = instruction.args;
      return;
    case 'ENTRYPOINT':
      run.entrypoint = JSON.parse(instruction.args) as string[];
      return;
    case 'CMD':
      run.cmd = JSON.parse(instruction.args) as string[];
      return;
    case 'COPY':
      return copy(instruction, run, options, inside);
    case 'RUN':
      for (const command of instruction.args.split(/\s*&&\s*/)) runCommand(command, run, options);
      return;
    case 'LABEL':
    case 'EXPOSE':
    case 'HEALTHCHECK':
    case 'ARG':
      return;
    default:
      throw new Error(`line ${instruction.line}: ${instruction.keyword} is not handled here`);
  }
}

function copy(
  instruction: Instruction,
  run: StageRun,
  options: RunStageOptions,
  inside: (path: string) => string,
): void {
  const parts = instruction.args.split(/\s+/);
  const destination = parts.pop()!;
  const from = instruction.flags.from;
  const origin = from === undefined ? options.context : options.stages[from]?.root;
  if (!origin) throw new Error(`line ${instruction.line}: no stage named ${from}`);
  const sources = copySources(
    origin,
    parts.map((source) => (from === undefined ? source : source.replace(/^\/+/, ''))),
  );
  const target = inside(destination);
  const intoFolder = destination.endsWith('/') || sources.length > 1;
  for (const source of sources) {
    const path = join(origin, source);
    // a folder's contents go into the destination; a file goes into it when it ends with /
    const to =
      intoFolder && !statSync(path).isDirectory() ? join(target, posix.basename(source)) : target;
    mkdirSync(dirname(to), { recursive: true });
    cpSync(path, to, { recursive: true });
  }
}

/**
 * One command of a RUN step. The package manager's commands run in the stage's working folder.
 * `groupadd` and `useradd` would change this machine's accounts, so they are read instead: the
 * name and id they give are what the stage runs as. `chown USER:GROUP PATH` is done with those
 * ids. Anything else is refused, so that a new kind of step makes this test fail rather than run
 * on the host.
 */
function runCommand(command: string, run: StageRun, options: RunStageOptions): void {
  const words = command.trim().split(/\s+/);
  const [program = ''] = words;
  if (program === 'groupadd' || program === 'useradd') return readAccount(words, run);
  if (program === 'chown') return changeOwner(words, run);
  if (program !== 'npm') throw new Error(`RUN ${command}: not run outside a container`);
  const result = spawnSync('sh', ['-c', command], {
    cwd: join(run.root, run.workdir),
    env: { ...options.hostEnv, ...run.env },
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (result.status !== 0) {
    throw new Error(`RUN ${command} exited ${result.status}:\n${result.stdout}\n${result.stderr}`);
  }
}

function readAccount(words: string[], run: StageRun): void {
  const option = (flag: string): string | undefined => words[words.indexOf(flag) + 1];
  const name = words.at(-1)!;
  const account = (run.accounts[name] ??= {});
  if (words[0] === 'groupadd') account.gid = Number(option('--gid'));
  else {
    account.uid = Number(option('--uid'));
    const group = option('--gid') ?? name;
    account.gid = run.accounts[group]?.gid ?? Number(group);
  }
}

function changeOwner(words: string[], run: StageRun): void {
  const [, owner = '', ...paths] = words;
  if (paths.some((path) => path.startsWith('-')))
    throw new Error(`chown options: ${words.join(' ')}`);
  const [user = '', group = user] = owner.split(':');
  const uid = run.accounts[user]?.uid;
  const gid = run.accounts[group]?.gid;
  if (uid === undefined || gid === undefined) throw new Error(`chown: unknown account ${owner}`);
  for (const path of paths) chownSync(join(run.root, posix.resolve(run.workdir, path)), uid, gid);
}
