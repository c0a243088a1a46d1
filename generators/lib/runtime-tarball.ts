import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GeneratorError } from './generator-error.js';
import { packageRoot } from './package-root.js';

/** The packed runtime the generator hands to every new project. */
export interface RuntimeTarball {
  /** Absolute path of `vendor/services-runtime-<version>.tgz`. */
  path: string;
  fileName: string;
  version: string;
}

/**
 * Finds the runtime tarball in the package's `vendor/` folder (made by scripts/pack-runtime.js
 * during the build). services-runtime is not on the registry, so a generated project installs it
 * from its own copy of this file.
 */
export function findRuntimeTarball(vendor = join(packageRoot(), 'vendor')): RuntimeTarball {
  let entries: string[] = [];
  try {
    entries = readdirSync(vendor);
  } catch {
    // reported below with the command that creates it
  }
  const found = entries
    .map((fileName) => ({
      fileName,
      match: /^services-runtime-(\d+\.\d+\.\d+(?:-[\w.]+)?)\.tgz$/.exec(fileName),
    }))
    .filter((entry) => entry.match)
    .map((entry) => ({
      fileName: entry.fileName,
      version: entry.match![1]!,
      path: join(vendor, entry.fileName),
    }))
    .sort((a, b) => compareVersions(b.version, a.version));
  if (found.length === 0) {
    throw new GeneratorError(
      'GEN_ERR_RUNTIME_MISSING',
      `the services-runtime tarball is missing from ${vendor}; run npm run build in the create-services-app checkout`,
    );
  }
  return found[0]!;
}

function compareVersions(a: string, b: string): number {
  const left = a.split(/[.-]/).map(Number);
  const right = b.split(/[.-]/).map(Number);
  for (let index = 0; index < 3; index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

type HashPassword = (password: string) => Promise<string>;

/**
 * Hashes a password with the runtime the project will run, so the test user's stored hash is
 * one it verifies. Inside this repository the workspace copy is imported; from the published
 * package, the module is loaded out of the tarball itself (it needs nothing but node:crypto).
 */
export async function hashWithRuntime(tarball: RuntimeTarball, password: string): Promise<string> {
  try {
    const runtime = (await import('services-runtime' as string)) as { hashPassword: HashPassword };
    return await runtime.hashPassword(password);
  } catch {
    const folder = mkdtempSync(join(tmpdir(), 'services-runtime-'));
    try {
      execFileSync('tar', ['-xzf', tarball.path, '-C', folder], { stdio: 'ignore' });
      const modulePath = join(folder, 'package/dist/auth/passwords/hash-password.js');
      const module = (await import(pathToFileURL(modulePath).href)) as {
        hashPassword: HashPassword;
      };
      return await module.hashPassword(password);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  }
}
