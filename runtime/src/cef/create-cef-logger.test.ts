import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Config, type ConfigValue } from '../config/config.js';
import { createMemoryLogger } from '../log/logger.js';
import type { CefEvent } from './cef-event.js';
import { createCefLogger } from './create-cef-logger.js';
import { parseCef } from './parse-cef.js';

const header = { vendor: 'mozilla', product: 'weave', version: 0, device_version: 3 };
const event: CefEvent = {
  name: 'AuthFail',
  severity: 7,
  username: 'bob',
  date: new Date(2026, 0, 5, 13, 45, 7),
  hostname: 'server1',
  request: { method: 'GET', path: '/', host: 'example.com', remoteAddress: '127.0.0.1' },
};

let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'cef-logger-'));
});

afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function config(cef: Record<string, ConfigValue>): Config {
  return Config.fromObject({ cef: { ...header, ...cef } }, join(directory, 'app.ini'));
}

// the child processes run plain Node, so the sink's sources are compiled into the test folder
function compileForChild(files: string[]): void {
  writeFileSync(join(directory, 'package.json'), '{"type":"module"}');
  for (const file of files) {
    const source = readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    writeFileSync(join(directory, file.replace(/\.ts$/, '.js')), outputText);
  }
}

function lines(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n').slice(0, -1);
}

describe('createCefLogger', () => {
  it('returns undefined when CEF is off', () => {
    const logger = createMemoryLogger();
    expect(createCefLogger(Config.fromObject({ global: {} }), { logger })).toBeUndefined();
    expect(createCefLogger(config({ use: false }), { logger })).toBeUndefined();
  });

  it('appends one line per record to the file, relative to the config file', async () => {
    const cef = createCefLogger(config({ file: 'cef.log' }), { logger: createMemoryLogger() })!;
    cef.log(event);
    cef.log({ ...event, username: 'eve\nCEF:0|forged' });
    await cef.close();

    const written = lines(join(directory, 'cef.log'));
    expect(written).toHaveLength(2);
    expect(written[0]).toBe(
      'Jan 05 13:45:07 server1 CEF:0|mozilla|weave|3|AuthFail|AuthFail|7|cs1Label=requestClientApplication cs1=none requestMethod=GET request=/ src=127.0.0.1 dhost=example.com suser=bob',
    );
    expect(parseCef(written[1]!).extensions).toContainEqual(['suser', 'eve\nCEF:0|forged']);
    expect(cef.stats()).toEqual({ written: 2, failed: 0 });
  });

  it('warns about extensions it leaves out', async () => {
    const logger = createMemoryLogger();
    const cef = createCefLogger(config({ file: 'cef.log' }), { logger })!;
    cef.log({ ...event, extensions: { 'bad key': 1, big: 'x'.repeat(2000) } });
    await cef.close();
    expect(logger.records.map((record) => [record.type, record.fields])).toEqual([
      ['cef.extension.invalid_key', { name: 'AuthFail', keys: ['bad key'] }],
      ['cef.record.too_long', { name: 'AuthFail', dropped: ['big'] }],
    ]);
  });

  it('counts failures, reports them once a minute, and recovers when the path is fixed', async () => {
    const logger = createMemoryLogger();
    let now = 1_000_000;
    const path = join(directory, 'missing', 'cef.log');
    const cef = createCefLogger(config({ file: path }), { logger, now: () => now })!;

    expect(() => cef.log(event)).not.toThrow();
    cef.log(event);
    now += 30_000;
    cef.log(event);
    expect(cef.stats()).toEqual({ written: 0, failed: 3 });
    const failures = (): unknown[] =>
      logger.records.filter((record) => record.type === 'cef.sink.failed').map((r) => r.fields);
    expect(failures()).toEqual([
      { sink: path, count: 1, total: 1, reason: expect.stringContaining('ENOENT') },
    ]);

    mkdirSync(join(directory, 'missing'));
    cef.log(event);
    expect(cef.stats()).toEqual({ written: 1, failed: 3 });
    expect(lines(path)).toHaveLength(1);
    expect(logger.records.map((record) => record.type)).toContain('cef.sink.recovered');

    // a failure after the minute is reported, with the ones held back since the last report
    rmSync(join(directory, 'missing'), { recursive: true });
    writeFileSync(join(directory, 'missing'), 'a regular file, not a directory');
    now += 31_000;
    cef.log(event);
    expect(failures()).toHaveLength(2);
    expect(failures()[1]).toMatchObject({
      count: 3,
      total: 4,
      reason: expect.stringContaining('ENOTDIR'),
    });
    await cef.close();
  });

  it('counts a full disk as failed without throwing', async () => {
    const logger = createMemoryLogger();
    const cef = createCefLogger(config({ file: '/dev/full' }), { logger })!;
    expect(() => cef.log(event)).not.toThrow();
    expect(cef.stats()).toEqual({ written: 0, failed: 1 });
    expect(logger.records[0]).toMatchObject({
      type: 'cef.sink.failed',
      fields: { reason: expect.stringContaining('ENOSPC') },
    });
    await cef.close();
  });

  it('never throws from log(), even for an event it cannot format', async () => {
    const cef = createCefLogger(config({ file: 'cef.log' }), { logger: createMemoryLogger() })!;
    const hostile = {
      toString(): string {
        throw new Error('no text');
      },
    };
    expect(() => cef.log({ ...event, extensions: { x: hostile as never } })).not.toThrow();
    expect(cef.stats()).toEqual({ written: 0, failed: 1 });
    await cef.close();
    expect(() => cef.log(event)).not.toThrow();
    expect(cef.stats()).toEqual({ written: 0, failed: 2 });
  });

  it('reopens the file after log rotation moved it away', async () => {
    let now = 0;
    const path = join(directory, 'cef.log');
    const cef = createCefLogger(config({ file: path }), {
      logger: createMemoryLogger(),
      now: () => now,
    })!;
    cef.log(event);
    renameSync(path, `${path}.1`);
    now += 1_000;
    cef.log({ ...event, username: 'after' });
    await cef.close();
    expect(lines(`${path}.1`)).toHaveLength(1);
    expect(lines(path)).toEqual([expect.stringMatching(/ suser=after$/)]);
  });

  it('lets two processes append to one file without breaking a line', async () => {
    const path = join(directory, 'shared.log');
    const script = join(directory, 'writer.mjs');
    compileForChild(['file-sink.ts', 'sink-health.ts']);
    writeFileSync(
      script,
      [
        `import { FileSink } from './file-sink.js';`,
        `const report = { written() {}, failed(reason) { throw new Error(reason); } };`,
        `const sink = new FileSink(${JSON.stringify(path)}, report);`,
        `const tag = process.argv[2];`,
        `for (let i = 0; i < 2000; i++) sink.write(tag + ' ' + i + ' ' + tag.repeat(3000));`,
        `await sink.close();`,
      ].join('\n'),
    );
    const run = (tag: string): Promise<unknown> =>
      promisify(execFile)(process.execPath, [script, tag], { timeout: 20_000 });
    await Promise.all([run('a'), run('b')]);

    const written = lines(path);
    expect(written).toHaveLength(4000);
    for (const line of written) expect(line).toMatch(/^(a \d+ a{3000}|b \d+ b{3000})$/);
    expect(new Set(written).size).toBe(4000);
  });
});
