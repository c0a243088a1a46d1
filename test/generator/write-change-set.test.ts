import {
  chmodSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeChangeSet } from '../../generators/lib/write-change-set.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'csa-change-set-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('writeChangeSet', () => {
  it('writes new files, replaces existing ones and keeps their permission bits', () => {
    const script = join(root, 'run.sh');
    writeFileSync(script, 'old\n');
    chmodSync(script, 0o750);
    writeChangeSet(
      new Map([
        [script, 'new\n'],
        [join(root, 'deep/er/file.ts'), 'export {};\n'],
      ]),
    );
    expect(readFileSync(script, 'utf8')).toBe('new\n');
    expect(statSync(script).mode & 0o777).toBe(0o750);
    expect(readFileSync(join(root, 'deep/er/file.ts'), 'utf8')).toBe('export {};\n');
    expect(readdirSync(root).sort()).toEqual(['deep', 'run.sh']);
  });

  it('changes nothing, and leaves no temporary file, when one of the writes fails', () => {
    const kept = join(root, 'routes.ts');
    writeFileSync(kept, 'routes\n');
    // a regular file where a folder is needed makes the second write fail
    writeFileSync(join(root, 'blocker'), '');
    const changes = new Map([
      [kept, 'routes plus one\n'],
      [join(root, 'blocker/controller.ts'), 'class\n'],
    ]);
    expect(() => writeChangeSet(changes)).toThrow(/ENOTDIR|EEXIST/);
    expect(readFileSync(kept, 'utf8')).toBe('routes\n');
    expect(readdirSync(root).sort()).toEqual(['blocker', 'routes.ts']);
  });
});
