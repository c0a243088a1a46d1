import validatePackageName from 'validate-npm-package-name';
import { GeneratorError } from './generator-error.js';

/** Names Windows reserves for devices, with or without an extension (`nul.txt` is `nul`). */
const windowsDevices = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)(\..*)?$/i;
/** A lowercase npm name part: what a folder, an image tag and a config file name can all hold. */
const safePart = /^[a-z0-9][a-z0-9._-]*$/;
const maximumLength = 214;

/** The parts of a valid project name. */
export interface ProjectName {
  /** The name as written in package.json: `my-svc` or `@org/my-svc`. */
  full: string;
  /** The name without its scope: the default folder, the config file and the image name. */
  bare: string;
  scope: string | undefined;
}

/**
 * Checks a project name against npm's rules for new packages and against the things those rules
 * let through (reliability.md 0.9): scopes such as `@..`, Windows device names, path separators,
 * a leading dot or dash. Throws GEN_ERR_INVALID_NAME with every reason.
 *
 * ```ts
 * parseProjectName('@org/billing'); // { full: '@org/billing', bare: 'billing', scope: 'org' }
 * ```
 */
export function parseProjectName(name: string, answer = 'name'): ProjectName {
  const problems = nameProblems(name);
  if (problems.length > 0) {
    throw new GeneratorError(
      'GEN_ERR_INVALID_NAME',
      `the ${answer} ${JSON.stringify(name)} cannot be used: ${problems.join('; ')}`,
    );
  }
  const match = /^@([^/]+)\/(.+)$/.exec(name);
  return match
    ? { full: name, bare: match[2]!, scope: match[1]! }
    : { full: name, bare: name, scope: undefined };
}

/** Every reason the name is refused; empty when it is accepted. */
export function nameProblems(name: string): string[] {
  if (name === '') return ['it is empty'];
  const problems: string[] = [];
  const npm = validatePackageName(name);
  if (!npm.validForNewPackages) {
    problems.push(...(npm.errors ?? []), ...(npm.warnings ?? []));
  }
  if (name.length > maximumLength) problems.push(`it is longer than ${maximumLength} characters`);

  const scoped = /^@([^/]*)\/([^/]*)$/.exec(name);
  if (name.startsWith('@') && !scoped) problems.push('a scoped name is written @scope/name');
  const parts = scoped ? [scoped[1]!, scoped[2]!] : [name];
  for (const part of parts) problems.push(...partProblems(part));
  return [...new Set(problems)];
}

function partProblems(part: string): string[] {
  const problems: string[] = [];
  if (/[/\\]/.test(part)) problems.push('it must not contain a path separator');
  if (part.startsWith('.')) problems.push('it must not start with a dot');
  if (part === '.' || part === '..' || part.includes('..'))
    problems.push('it must not contain ".."');
  if (!safePart.test(part)) {
    problems.push(
      'use lowercase letters, digits, "-", "_" and "." and start with a letter or digit',
    );
  }
  if (windowsDevices.test(part)) problems.push(`"${part}" is a device name on Windows`);
  if (part === 'node_modules' || part === 'favicon.ico') problems.push(`"${part}" is reserved`);
  return problems;
}
