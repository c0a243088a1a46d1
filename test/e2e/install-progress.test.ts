// How the generator shows a real `npm install` of the project it wrote: redrawn spinner lines on a
// terminal (the bin under a pseudo-terminal from script(1)), plain lines through a pipe. The
// plain run comes first and warms the npm cache, so that the terminal run installs from it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plainText, startPtySession, type PtySession } from '../generator/pty-session.js';
import { bin, scratchFolder } from './support/generated-project.js';

const scratch = scratchFolder('csa-progress-');
let session: PtySession | undefined;
afterAll(() => {
  session?.stop();
  scratch.remove();
});

const spinnerFrame = /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] /;

describe('install progress', () => {
  it('through a pipe: a plain line at the start and one at the end, no cursor movement', () => {
    const result = spawnSync(process.execPath, [bin, 'piped-svc', '--yes', '--skip-git'], {
      cwd: scratch.path,
      encoding: 'utf8',
      env: { ...process.env, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 240_000,
    });
    const output = `${result.stdout}${result.stderr}`;
    expect(result.status, output).toBe(0);

    expect(output).toMatch(/^Installing dependencies: npm install --no-audit/m);
    expect(output).toMatch(/^Installed dependencies in \d+s$/m);
    expect(output).not.toContain('\u001b[');
    expect(output).not.toContain('\r');
    expect(existsSync(join(scratch.path, 'piped-svc/node_modules/services-runtime'))).toBe(true);
  }, 300_000);

  it('on a terminal: a spinner with the elapsed time and the latest line from npm', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.CI;
    session = startPtySession(`'${process.execPath}' '${bin}' tty-svc --yes --skip-git`, {
      cwd: scratch.path,
      env,
    });
    const status = await session.exited(240_000);
    const output = session.output();
    expect(status, plainText(output).slice(-2000)).toBe(0);

    // each redraw returns to the start of the line and clears it
    const frames = output
      .split('\r\u001b[K')
      .map((frame) => frame.replace(/\r?\n[\s\S]*$/, ''))
      .filter((frame) => spinnerFrame.test(frame));
    expect(frames.length).toBeGreaterThan(5);
    // a terminal whose size was never set reports 0 columns; no frame may lose its counter to it
    for (const frame of frames) expect(frame).toMatch(/^. npm install [^()]*\(\d+s\)/);
    expect(frames.some((frame) => /\(\d+s\) {2}npm http (fetch|cache) /.test(frame))).toBe(true);
    // the spinner turns: more than one frame character was drawn
    expect(new Set(frames.map((frame) => frame[0])).size).toBeGreaterThan(1);

    expect(plainText(output)).toMatch(/Installed dependencies in \d+s/);
    expect(existsSync(join(scratch.path, 'tty-svc/node_modules/services-runtime'))).toBe(true);
  }, 300_000);
});
