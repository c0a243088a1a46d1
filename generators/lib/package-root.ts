import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

/**
 * The folder of the create-services-app package: the one holding `templates/` and `vendor/`.
 * Found by walking up from this module, so it is the same from the built `dist/` and from the
 * TypeScript sources that tests load.
 */
export function packageRoot(): string {
  if (cached) return cached;
  let folder = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as {
        name?: string;
      };
      if (manifest.name === 'create-services-app') return (cached = folder);
    } catch {
      // no package.json here: keep walking up
    }
    const parent = dirname(folder);
    if (parent === folder)
      throw new Error('create-services-app: package.json not found above the generator');
    folder = parent;
  }
}

/** The generator's own version, written into `.yo-rc.json`. */
export function generatorVersion(): string {
  const manifest = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as {
    version: string;
  };
  return manifest.version;
}
