import { basename, join, relative, resolve } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { GeneratorError } from '../lib/generator-error.js';
import { initRepository, type GitOutcome } from '../lib/git.js';
import { isInteractive } from '../lib/interactive.js';
import { detectPackageManager, installCommand, runScript } from '../lib/package-manager.js';
import { generatorVersion, packageRoot } from '../lib/package-root.js';
import { runInstall } from '../lib/run-install.js';
import {
  findRuntimeTarball,
  hashWithRuntime,
  type RuntimeTarball,
} from '../lib/runtime-tarball.js';
import { StagingFolder } from '../lib/staging.js';
import { checkTarget } from '../lib/target-folder.js';
import { nameProblems, parseProjectName, type ProjectName } from '../lib/validate-name.js';
import {
  authChoices,
  databaseChoices,
  flagFor,
  packageManagerChoices,
  questionOrder,
  type AppAnswers,
  type QuestionName,
} from './answers.js';
import { projectFiles } from './files.js';
import { buildTemplateContext, type TestUser } from './template-context.js';

/** What the bin (or a test) passes to the app generator. */
export type AppOptions = BaseOptions & {
  /** The folder to create, as typed; defaults to the name without its scope. */
  directory?: string;
  /** Answers given by flags or an answers file; these are never asked. */
  preset?: Partial<AppAnswers>;
  /** Take the default for every question that has no preset answer. */
  yes?: boolean;
  /** Whether questions may be asked; by default, when stdin is a terminal and CI is unset. */
  interactive?: boolean;
  force?: boolean;
  dryRun?: boolean;
  offline?: boolean;
  /** The command as typed, for the rerun hint of a non-interactive run. */
  commandLine?: string;
  /** Overrides the vendor/ folder the runtime tarball is taken from (tests). */
  vendorFolder?: string;
};

const testPassword = 'test-password';
const defaultName = 'my-service';

/**
 * `create-services-app [directory]`: asks for (or takes from flags) the service's name, auth
 * backend, database, CEF, Docker, port, workers and package manager, writes the repository into a
 * staging folder beside the target, installs and commits there, and renames it into place.
 */
export default class AppGenerator extends Generator<Record<string, unknown>, AppOptions> {
  #answers: Partial<AppAnswers> = {};
  #name: ProjectName | undefined;
  #target = '';
  #staging: StagingFolder | undefined;
  #tarball: RuntimeTarball | undefined;
  #written: string[] = [];
  #git: GitOutcome | undefined;

  constructor(args: string[] = [], options: AppOptions = {} as AppOptions) {
    super(args, options, { customCommitTask: true, customInstallTask: true });
  }

  get #interactive(): boolean {
    return !this.options.yes && (this.options.interactive ?? isInteractive());
  }

  /** Step 1: check everything that can be checked before the first question. */
  initializing(): void {
    this.#answers = { ...(this.options.preset ?? {}) };
    const preset = this.#answers;

    // 1a. the name, before anything else
    if (preset.name === undefined && this.options.directory !== undefined) {
      const fromFolder = basename(resolve(this.options.directory));
      if (nameProblems(fromFolder).length === 0) preset.name = fromFolder;
    }
    if (preset.name !== undefined) this.#setName(preset.name, '--name');

    // 1b. the runtime the project will depend on
    this.#tarball = findRuntimeTarball(this.options.vendorFolder);

    // 1c. the target folder, when it is already known
    if (this.options.directory !== undefined || preset.name !== undefined) this.#checkTarget();

    // 1d. without a person to ask, every question needs a flag, an answers file or --yes
    if (!this.options.yes && !(this.options.interactive ?? isInteractive())) {
      const missing = this.#unanswered();
      if (missing.length > 0) throw this.#missingAnswers(missing);
    }
  }

  /** Step 2: each question is answered by its flag, else by the person, else by its default. */
  async prompting(): Promise<void> {
    if (this.#answers.name === undefined) {
      this.#answers.name = await this.#ask(
        'name',
        {
          type: 'input',
          message: 'Package name',
          default: defaultName,
          validate: (value: string) => {
            const problems = nameProblems(value.trim());
            return problems.length === 0 || problems.join('; ');
          },
        },
        (value) => String(value).trim(),
      );
      this.#setName(this.#answers.name, 'name');
      this.#checkTarget();
    }

    const answers = this.#answers;
    answers.description = await this.#ask(
      'description',
      {
        type: 'input',
        message: 'Description',
        default: `The ${this.#name!.bare} service`,
      },
      String,
    );
    answers.auth = await this.#ask(
      'auth',
      {
        type: 'select',
        message: 'User backend for HTTP Basic authentication',
        choices: authChoices,
        default: 'memory',
      },
      (value) => value as AppAnswers['auth'],
    );
    if (answers.auth === 'sql') {
      answers.database = await this.#ask(
        'database',
        {
          type: 'select',
          message: 'Database',
          choices: databaseChoices,
          default: 'sqlite',
        },
        (value) => value as NonNullable<AppAnswers['database']>,
      );
    } else {
      answers.database = undefined;
    }
    answers.cef = await this.#ask(
      'cef',
      { type: 'confirm', message: 'CEF security logging', default: false },
      Boolean,
    );
    answers.docker = await this.#ask(
      'docker',
      { type: 'confirm', message: 'Dockerfile and docker-compose.yml', default: true },
      Boolean,
    );
    answers.port = await this.#ask(
      'port',
      {
        type: 'input',
        message: 'Port',
        default: '8000',
        validate: (value: string) =>
          (/^[0-9]+$/.test(value) && Number(value) >= 1 && Number(value) <= 65535) ||
          'a port from 1 to 65535',
      },
      Number,
    );
    answers.workers = await this.#ask(
      'workers',
      {
        type: 'input',
        message: 'Worker processes',
        default: '1',
        validate: (value: string) =>
          (/^[0-9]+$/.test(value) && Number(value) >= 1 && Number(value) <= 64) ||
          'a number from 1 to 64',
      },
      Number,
    );
    answers.packageManager = await this.#ask(
      'packageManager',
      {
        type: 'select',
        message: 'Package manager',
        choices: packageManagerChoices,
        default: detectPackageManager(),
      },
      (value) => value as AppAnswers['packageManager'],
    );
    answers.git = await this.#ask(
      'git',
      { type: 'confirm', message: 'Create a git repository', default: true },
      Boolean,
    );
    answers.install = await this.#ask(
      'install',
      { type: 'confirm', message: 'Install dependencies now', default: true },
      Boolean,
    );

    refuseUnsafeAnswers(answers as AppAnswers);
  }

  /** Step 3: render every file into memory, under the staging folder (or the target, for a dry run). */
  async writing(): Promise<void> {
    const answers = this.#answers as AppAnswers;
    const name = this.#name!;
    const tarball = this.#tarball!;
    if (!this.options.dryRun) this.#staging = new StagingFolder(this.#target);
    const root = this.#staging?.path ?? this.#target;

    const testUser: TestUser | undefined =
      answers.auth === 'memory'
        ? {
            username: 'test-user',
            password: testPassword,
            hash: await hashWithRuntime(tarball, testPassword),
          }
        : answers.auth === 'none'
          ? undefined
          : { username: 'test-user', password: testPassword, hash: '' };
    const context = buildTemplateContext({
      answers,
      name,
      runtimeTarball: `vendor/${tarball.fileName}`,
      runtimeVersion: tarball.version,
      generatorVersion: generatorVersion(),
      testUser,
    });

    const templates = join(packageRoot(), 'templates', 'app');
    for (const file of projectFiles(answers, name.bare)) {
      const source = join(templates, file.template);
      const destination = join(root, file.destination);
      if (file.template.endsWith('.ejs')) {
        this.fs.copyTpl(source, destination, context);
      } else {
        this.fs.copy(source, destination);
      }
    }
    this.fs.copy(tarball.path, join(root, 'vendor', tarball.fileName));
    this.fs.writeJSON(join(root, 'package.json'), projectPackageJson(answers, name, tarball));
    this.fs.writeJSON(join(root, '.yo-rc.json'), {
      'create-services-app': { version: generatorVersion(), answers: storedAnswers(answers) },
    });
  }

  /** Step 4: write the tree to the staging folder, or only list it for --dry-run. */
  async conflicts(): Promise<void> {
    const root = this.#staging?.path ?? this.#target;
    this.#written = Object.keys(this.fs.dump(root)).sort();
    if (this.options.dryRun) {
      this.log.writeln(`Would create ${this.#shown()} with ${this.#written.length} files:`);
      for (const file of this.#written) this.log.writeln(`  ${file}`);
      for (const file of this.#written) this.fs.delete(join(root, file));
      return;
    }
    await this.fs.commit();
  }

  /** Step 5: install and commit inside the staging folder, then move it into place. */
  async end(): Promise<void> {
    if (this.options.dryRun) return;
    const answers = this.#answers as AppAnswers;
    const staging = this.#staging!;
    const shown = this.#shown();
    const rerun = `cd ${shown} && ${typedInstall(answers.packageManager)}`;

    try {
      if (answers.install) {
        await runInstall({
          cwd: staging.path,
          command: installCommand(answers.packageManager, {
            offline: this.options.offline === true,
          }),
          rerun,
          write: (text) => this.log.write(text),
          tty: process.stderr.isTTY === true,
        });
      }
    } catch (error) {
      // the files are complete; keep them so that the printed command can finish the job
      staging.promote();
      throw error;
    }

    if (answers.git) {
      this.#git = initRepository(staging.path, this.#target, `Create ${this.#name!.full}`);
    }
    staging.promote();
    this.#summary();
  }

  #setName(value: string, answer: string): void {
    this.#name = parseProjectName(value, answer === '--name' ? 'name (--name)' : 'name');
    this.#answers.name = value;
  }

  #checkTarget(): void {
    const directory = this.options.directory ?? this.#name!.bare;
    this.#target = resolve(this.env.cwd, directory);
    checkTarget(this.#target, this.#shown(), this.options.force === true);
  }

  #shown(): string {
    const shown = relative(this.env.cwd, this.#target);
    return shown === '' ? '.' : shown.startsWith('..') ? this.#target : shown;
  }

  /** The questions neither a flag nor the answers file answers (database only for sql). */
  #unanswered(): QuestionName[] {
    const preset = this.#answers;
    return questionOrder.filter((question) => {
      if (question === 'git' || question === 'install') return false;
      if (question === 'database') return preset.auth === 'sql' && preset.database === undefined;
      return preset[question] === undefined;
    });
  }

  #missingAnswers(missing: QuestionName[]): GeneratorError {
    const flags = missing.map(flagFor);
    const command = this.options.commandLine ?? 'create-services-app';
    return new GeneratorError(
      'GEN_ERR_MISSING_ANSWERS',
      'no terminal to ask on (stdin is not a TTY, or CI is set), ' +
        `and these questions have no answer: ${flags.join(', ')}.\n` +
        'Pass them as flags or in --answers FILE, or take the defaults for the rest with --yes:\n' +
        `  ${command} --yes`,
    );
  }

  /** One question: its preset answer, else the person's, else the default. */
  async #ask<T>(
    name: QuestionName,
    question: {
      type: string;
      message: string;
      default: unknown;
      choices?: readonly string[];
      validate?: (value: string) => true | string;
    },
    convert: (value: unknown) => T,
  ): Promise<T> {
    const preset = this.#answers[name];
    if (preset !== undefined) return preset as T;
    if (!this.#interactive) return convert(question.default);
    const answers = await this.prompt([
      { ...question, choices: question.choices ? [...question.choices] : undefined, name },
    ] as never);
    return convert((answers as Record<string, unknown>)[name]);
  }

  #summary(): void {
    const answers = this.#answers as AppAnswers;
    const shown = this.#shown();
    const auth =
      answers.auth === 'none'
        ? 'no authentication'
        : answers.auth === 'sql'
          ? `sql auth on ${answers.database}`
          : `${answers.auth} auth`;
    this.log.writeln('');
    const features = [auth];
    if (answers.cef) features.push('CEF logging');
    if (answers.docker) features.push('Docker files');
    this.log.writeln(
      `Created ${this.#name!.full} in ${shown}: ${this.#written.length} files, ${features.join(', ')}.`,
    );
    if (this.#git && this.#git.status !== 'committed')
      this.log.writeln(`git: ${this.#git.reason}.`);
    this.log.writeln('');
    this.log.writeln('Next:');
    this.log.writeln(`  cd ${shown}`);
    this.log.writeln(
      `  ${answers.install ? runScript(answers.packageManager, 'test') : typedInstall(answers.packageManager)}`,
    );
    this.log.writeln(`  ${runScript(answers.packageManager, 'dev')}`);
  }
}

/** The install command as a person types it (`npm install`), without the generator's own flags. */
function typedInstall(manager: AppAnswers['packageManager']): string {
  return installCommand(manager, { offline: false }).slice(0, 2).join(' ');
}

/** Refuses answers that some file of the project could not hold exactly. */
function refuseUnsafeAnswers(answers: AppAnswers): void {
  // eslint-disable-next-line no-control-regex -- control characters are what is refused
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(answers.description)) {
    throw new GeneratorError(
      'GEN_ERR_UNSAFE_ANSWER',
      'the description contains a control character; the Dockerfile label and README cannot ' +
        'hold it. Use plain text (line breaks and tabs are fine)',
    );
  }
  if (answers.description.length > 1000) {
    throw new GeneratorError(
      'GEN_ERR_UNSAFE_ANSWER',
      'the description is longer than 1000 characters; keep it to a sentence or two',
    );
  }
}

/** The answers `.yo-rc.json` keeps for the controller generator and a later upgrade. */
function storedAnswers(answers: AppAnswers): Record<string, unknown> {
  const { git, install, ...kept } = answers;
  return kept.database === undefined ? { ...kept, database: undefined } : kept;
}

const driverFor = {
  sqlite: ['better-sqlite3', '12.11.1'],
  postgresql: ['pg', '8.23.1'],
  mysql: ['mysql2', '3.24.6'],
} as const;

/** package.json, built as data so that every answer goes through JSON.stringify. */
function projectPackageJson(
  answers: AppAnswers,
  name: ProjectName,
  tarball: RuntimeTarball,
): Record<string, unknown> {
  const dependencies: Record<string, string> = {
    'services-runtime': `file:vendor/${tarball.fileName}`,
  };
  if (answers.auth === 'sql' && answers.database) {
    const [driver, version] = driverFor[answers.database];
    dependencies[driver] = `^${version}`;
  }
  const manifest: Record<string, unknown> = {
    name: name.full,
    version: '0.1.0',
    description: answers.description,
    private: true,
    type: 'module',
    scripts: {
      dev: `tsx watch src/main.ts --config etc/development.ini`,
      build: 'tsc -p tsconfig.json',
      // exec: npm's shell gives way to node, so the SIGTERM npm passes on reaches the service
      start: 'exec node dist/main.js',
      test: 'vitest run',
    },
    engines: { node: '>=20.17' },
    dependencies,
    devDependencies: {
      '@types/node': '^20.19.0',
      tsx: '^4.20.0',
      typescript: '~5.9.3',
      vitest: '~4.1.0',
    },
  };
  if (answers.auth === 'sql' && answers.database === 'sqlite') {
    manifest.allowScripts = { 'better-sqlite3': true };
  }
  return manifest;
}
