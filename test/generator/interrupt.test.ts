import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { interruptedMessage, runInterruptCleanups } from '../../generators/lib/interrupt.js';
import { StagingFolder } from '../../generators/lib/staging.js';

let parent: string | undefined;
afterEach(() => {
  if (parent) rmSync(parent, { recursive: true, force: true });
});

describe('an interrupt during project generation', () => {
  it('removes the staging folder before the project is placed, and says the target is untouched', () => {
    parent = mkdtempSync(join(tmpdir(), 'csa-interrupt-'));
    const staging = new StagingFolder(join(parent, 'svc'));
    writeFileSync(join(staging.path, 'package.json'), '{}\n');
    expect(interruptedMessage()).toBe('interrupted; the target folder was left as it was');
    runInterruptCleanups();
    expect(readdirSync(parent)).toEqual([]);
  });

  it('after the project is placed, keeps it and says it is complete', () => {
    parent = mkdtempSync(join(tmpdir(), 'csa-interrupt-'));
    const target = join(parent, 'svc');
    const staging = new StagingFolder(target);
    writeFileSync(join(staging.path, 'package.json'), '{}\n');
    staging.promote();
    runInterruptCleanups();
    expect(existsSync(join(target, 'package.json'))).toBe(true);
    expect(readdirSync(parent)).toEqual(['svc']);
    expect(interruptedMessage()).toBe(`interrupted after ${target} was complete; it is in place`);
  });
});
