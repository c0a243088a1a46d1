// Packs the built runtime into vendor/services-runtime-<version>.tgz. The generator copies that
// file into every new project, which names it as a file: dependency, because services-runtime is
// not published on the registry. Run after `npm run build -w services-runtime`.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runtime = join(root, 'runtime');
const vendor = join(root, 'vendor');

if (!existsSync(join(runtime, 'dist', 'index.js'))) {
  console.error(
    'pack-runtime: runtime/dist is missing; run npm run build -w services-runtime first',
  );
  process.exit(1);
}

// one tarball only, so the generator never picks up a stale version
mkdirSync(vendor, { recursive: true });
for (const entry of readdirSync(vendor)) {
  if (/^services-runtime-.*\.tgz$/.test(entry)) rmSync(join(vendor, entry));
}

const output = execFileSync('npm', ['pack', '--silent', '--pack-destination', vendor], {
  cwd: runtime,
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const file = output.trim().split('\n').pop();
console.log(`pack-runtime: vendor/${file}`);
