import { dockerfileString } from '../lib/escape-dockerfile.js';
import { iniValue } from '../lib/escape-ini.js';
import { markdownText } from '../lib/escape-markdown.js';
import { tsString } from '../lib/escape-typescript.js';
import { yamlString } from '../lib/escape-yaml.js';
import { installCommand, runScript } from '../lib/package-manager.js';
import type { ProjectName } from '../lib/validate-name.js';
import type { AppAnswers } from './answers.js';

/** The user the generated tests log in as; its hash is written into etc/test.ini. */
export interface TestUser {
  username: string;
  password: string;
  hash: string;
}

/**
 * Everything a template sees. Answers appear only as data: templates print them through the
 * escaper of the file they are in (`<%- ini(description) %>`), never raw, and the object is frozen
 * so no answer can reach EJS's own options.
 */
export interface TemplateContext {
  answers: Readonly<AppAnswers>;
  name: string;
  bare: string;
  description: string;
  configFile: string;
  runtimeTarball: string;
  runtimeVersion: string;
  generatorVersion: string;
  testUser: TestUser | undefined;
  /** `npm ci`, or the same for the other clients, for CI and the Dockerfile. */
  cleanInstall: string;
  /** The install of the Dockerfile's runtime stage: production dependencies only. */
  productionInstall: string;
  lockFile: string;
  install: string;
  /** A SQL identifier made of the name, for the database, its user and the compose services. */
  dbName: string;
  cefVendor: string;
  upstream: string;
  sqlite: boolean;
  /** sql on PostgreSQL or MySQL: tests that need the database run when TEST_SQLURI is set. */
  externalDatabase: boolean;
  run: (script: string) => string;
  ini: (value: string) => string;
  json: (value: unknown) => string;
  ts: (value: string) => string;
  yaml: (value: string) => string;
  md: (value: string) => string;
  docker: (value: string) => string;
}

export function buildTemplateContext(input: {
  answers: AppAnswers;
  name: ProjectName;
  runtimeTarball: string;
  runtimeVersion: string;
  generatorVersion: string;
  testUser: TestUser | undefined;
}): TemplateContext {
  const manager = input.answers.packageManager;
  const cleanInstall = {
    npm: 'npm ci',
    pnpm: 'pnpm install --frozen-lockfile',
    yarn: 'yarn install --frozen-lockfile',
  }[manager];
  const productionInstall = {
    npm: 'npm ci --omit=dev && npm cache clean --force',
    pnpm: 'pnpm install --frozen-lockfile --prod',
    yarn: 'yarn install --frozen-lockfile --production && yarn cache clean',
  }[manager];
  const lockFile = { npm: 'package-lock.json', pnpm: 'pnpm-lock.yaml', yarn: 'yarn.lock' }[manager];
  const dbName = input.name.bare.replace(/[^a-z0-9_]/g, '_');
  return Object.freeze({
    answers: Object.freeze({ ...input.answers }),
    name: input.name.full,
    bare: input.name.bare,
    description: input.answers.description,
    configFile: `etc/${input.name.bare}.ini`,
    runtimeTarball: input.runtimeTarball,
    runtimeVersion: input.runtimeVersion,
    generatorVersion: input.generatorVersion,
    testUser: input.testUser,
    cleanInstall,
    productionInstall,
    lockFile,
    dbName,
    cefVendor: input.name.scope ?? input.name.bare,
    upstream: dbName,
    sqlite: input.answers.auth === 'sql' && input.answers.database === 'sqlite',
    externalDatabase: input.answers.auth === 'sql' && input.answers.database !== 'sqlite',
    install: installCommand(manager, { offline: false }).slice(0, 2).join(' '),
    run: (script: string) => runScript(manager, script),
    ini: iniValue,
    json: (value: unknown) => JSON.stringify(value),
    ts: tsString,
    yaml: yamlString,
    md: markdownText,
    docker: dockerfileString,
  });
}
