import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { tsString } from '../lib/escape-typescript.js';
import { GeneratorError } from '../lib/generator-error.js';
import { markPlaced } from '../lib/interrupt.js';
import { packageRoot } from '../lib/package-root.js';
import { writeChangeSet } from '../lib/write-change-set.js';
import type { AppAnswers } from '../app/answers.js';

export type ControllerOptions = BaseOptions & {
  controllerName?: string;
  path?: string;
  methods?: string;
  auth?: boolean;
  force?: boolean;
  dryRun?: boolean;
};

/** The marks src/routes.ts and src/controllers/index.ts carry; new lines go just above them. */
export const routesMarker = '  // create-services-app controller adds routes above this line';
export const importsMarker = '// create-services-app controller adds imports above this line';
export const entriesMarker = '  // create-services-app controller adds controllers above this line';

const allowedMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const reservedNames = new Set(['index', 'hello', 'whoami', 'constructor', 'prototype']);

interface StoredService {
  root: string;
  answers: AppAnswers;
  manifest: Record<string, unknown>;
}

/**
 * `create-services-app controller NAME`: adds a controller class, its routes and a test to a
 * service this package generated (found through its `.yo-rc.json`). A file that exists with other
 * content is a conflict, shown and left alone unless `--force`.
 */
export default class ControllerGenerator extends Generator<
  Record<string, unknown>,
  ControllerOptions
> {
  #service: StoredService | undefined;
  #changes = new Map<string, string>();

  constructor(args: string[] = [], options: ControllerOptions = {} as ControllerOptions) {
    super(args, options, { customCommitTask: true, customInstallTask: true });
  }

  /** Step 1: find the service and check the name, the path and the methods. */
  initializing(): void {
    this.#service = findService(this.env.cwd);
    const name = this.options.controllerName ?? '';
    checkControllerName(name);
    if (this.options.auth && this.#service.answers.auth === 'none') {
      throw new GeneratorError(
        'GEN_ERR_USAGE',
        '--auth needs a user backend, and this service was generated with --auth none',
      );
    }
  }

  /** Step 2: render the new files and the edited ones, in memory. */
  writing(): void {
    const service = this.#service!;
    const name = this.options.controllerName!;
    const key = camel(name);
    const className = `${pascal(name)}Controller`;
    const methods = parseMethods(this.options.methods ?? 'GET');
    const routePath = checkPath(this.options.path ?? `/${name}`);
    const auth = this.options.auth === true;
    const actions = methods.map((method) => ({
      method,
      name: method.toLowerCase() === 'delete' ? 'remove' : method.toLowerCase(),
    }));
    const answers = service.answers;
    const context = Object.freeze({
      key,
      className,
      routePath,
      samplePath: routePath.replace(/:([A-Za-z_]\w*)/g, 'sample').replace(/\{[^}]+\}/g, 'sample'),
      actions,
      auth,
      canLogIn: answers.auth === 'memory' || answers.auth === 'sql',
      externalDatabase: answers.auth === 'sql' && answers.database !== 'sqlite',
      ts: tsString,
    });

    const templates = join(packageRoot(), 'templates', 'controller');
    const controllerFile = join(service.root, 'src/controllers', `${name}.ts`);
    const testFile = join(service.root, 'test', `${name}.test.ts`);
    this.#render(join(templates, 'controller.ts.ejs'), controllerFile, context);
    this.#render(join(templates, 'controller.test.ts.ejs'), testFile, context);

    const routeLines = actions
      .map((action) => {
        const fields = [
          `method: ${tsString(action.method)}`,
          `path: ${tsString(routePath)}`,
          `controller: ${tsString(key)}`,
          `action: ${tsString(action.name)}`,
          ...(auth ? ['auth: true'] : []),
        ];
        return `  { ${fields.join(', ')} },`;
      })
      .join('\n');
    this.#insert(
      join(service.root, 'src/routes.ts'),
      routesMarker,
      routeLines,
      `path: ${tsString(routePath)}, controller: ${tsString(key)}`,
    );
    const indexFile = join(service.root, 'src/controllers/index.ts');
    this.#insert(
      indexFile,
      importsMarker,
      `import { ${className} } from './${name}.js';`,
      `from './${name}.js'`,
    );
    this.#insert(indexFile, entriesMarker, `  ${key}: ${className},`, `  ${key}: ${className},`);
  }

  /** Step 3: write, or list for --dry-run. */
  conflicts(): void {
    const root = this.#service!.root;
    const changed = [...this.#changes.keys()].map((path) => path.slice(root.length + 1)).sort();
    if (this.options.dryRun) {
      this.log.writeln(`Would write ${changed.length} files:`);
      for (const file of changed) this.log.writeln(`  ${file}`);
      return;
    }
    writeChangeSet(this.#changes);
    markPlaced(`the ${this.options.controllerName} controller`);
    for (const file of changed) this.log.writeln(`  wrote ${file}`);
    this.log.writeln(
      `Added the ${this.options.controllerName} controller; run the tests with: npm test`,
    );
  }

  /** A new file: written when absent or identical; a different existing file is a conflict. */
  #render(template: string, destination: string, context: object): void {
    const memory = `${destination}.__render__`;
    this.fs.copyTpl(template, memory, context);
    const content = this.fs.read(memory)!;
    this.fs.delete(memory);
    if (existsSync(destination)) {
      const current = readFileSync(destination, 'utf8');
      if (current === content) return;
      if (!this.options.force) {
        throw new GeneratorError(
          'GEN_ERR_CONFLICT',
          `${destination.slice(this.#service!.root.length + 1)} already exists with other content; it was left as it is. Pass --force to replace it`,
        );
      }
    }
    this.#changes.set(destination, content);
  }

  /** Adds `lines` above `marker` in an existing file, unless `present` shows they are there. */
  #insert(file: string, marker: string, lines: string, present: string): void {
    const current = this.#changes.get(file) ?? readFileSync(file, 'utf8');
    if (current.includes(present)) return;
    const at = current.indexOf(marker);
    if (at === -1) {
      throw new GeneratorError(
        'GEN_ERR_CONFLICT',
        `${file.slice(this.#service!.root.length + 1)} no longer has the line "${marker.trim()}"; add it back where new entries belong, or add them by hand:\n${lines}`,
      );
    }
    this.#changes.set(file, `${current.slice(0, at)}${lines}\n${current.slice(at)}`);
  }
}

/** The generated service holding `cwd`, from the nearest `.yo-rc.json` that this package wrote. */
export function findService(cwd: string): StoredService {
  let folder = cwd;
  for (;;) {
    const file = join(folder, '.yo-rc.json');
    if (existsSync(file)) {
      try {
        const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<
          string,
          { answers?: AppAnswers }
        >;
        const entry = stored['create-services-app'];
        if (entry?.answers) {
          const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Record<
            string,
            unknown
          >;
          return { root: folder, answers: entry.answers, manifest };
        }
      } catch {
        // not ours, or broken: keep looking upwards
      }
    }
    const parent = dirname(folder);
    if (parent === folder) break;
    folder = parent;
  }
  throw new GeneratorError(
    'GEN_ERR_NOT_A_SERVICE',
    `${cwd} is not inside a service made by create-services-app (no .yo-rc.json with its answers was found here or above); run this command in the service's folder`,
  );
}

/** A controller name: kebab-case, so it is a file name, a route and (camel-cased) an identifier. */
export function checkControllerName(name: string): void {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(name) || name.length > 50) {
    throw new GeneratorError(
      'GEN_ERR_INVALID_NAME',
      `the controller name ${JSON.stringify(name)} cannot be used: write it in lowercase kebab-case (orders, user-profiles), at most 50 characters`,
    );
  }
  if (reservedNames.has(name)) {
    throw new GeneratorError(
      'GEN_ERR_INVALID_NAME',
      `the controller name "${name}" is taken by the service itself; choose another`,
    );
  }
}

function parseMethods(text: string): string[] {
  const methods = [
    ...new Set(
      text
        .split(',')
        .map((method) => method.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
  const unknown = methods.filter((method) => !allowedMethods.includes(method));
  if (methods.length === 0 || unknown.length > 0) {
    throw new GeneratorError(
      'GEN_ERR_USAGE',
      `--methods must list some of ${allowedMethods.join(',')}, got ${JSON.stringify(text)}`,
    );
  }
  return methods;
}

function checkPath(path: string): string {
  if (!/^\/[A-Za-z0-9/_:.{}-]*$/.test(path) || path.includes('..') || path.includes('//')) {
    throw new GeneratorError(
      'GEN_ERR_USAGE',
      `--path must be a route path such as /orders or /orders/:id, got ${JSON.stringify(path)}`,
    );
  }
  return path;
}

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_match, character: string) => character.toUpperCase());
}

function pascal(name: string): string {
  const camelCased = camel(name);
  return camelCased.charAt(0).toUpperCase() + camelCased.slice(1);
}
