import { mkdtempSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { Config } from '../config/config.js';
import { createMemoryLogger } from '../log/logger.js';
import { startUnixDatagramReceiver } from '../test-support/unix-datagram-receiver.js';
import type { CefEvent, CefLogger } from './cef-event.js';
import { createCefLogger } from './create-cef-logger.js';
import { parseCef } from './parse-cef.js';
import { until } from '../test-support/until.js';

const header = { vendor: 'mozilla', product: 'weave', version: 0, device_version: 3 };
const event = (username: string): CefEvent => ({
  name: 'AuthFail',
  severity: 7,
  username,
  date: new Date(2026, 0, 5, 13, 45, 7),
  hostname: 'server1',
});
// what syslog(3) puts before the message on a local socket: <PRI>Mmm dd hh:mm:ss TAG:
const localHeader = /^<(\d+)>[A-Z][a-z]{2} [ \d]\d \d\d:\d\d:\d\d (\S+): /;
type MemoryLogger = ReturnType<typeof createMemoryLogger>;
const cleanups: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function socketPath(): string {
  const folder = mkdtempSync(join(tmpdir(), 'cef-syslog-'));
  cleanups.push(() => rmSync(folder, { recursive: true, force: true }));
  return join(folder, 'log.sock');
}

function localLogger(
  path: string,
  extra: Record<string, string> = {},
  clock: { now: number } = { now: 0 },
): { cef: CefLogger; logger: MemoryLogger } {
  const logger = createMemoryLogger();
  const cef = createCefLogger(
    Config.fromObject({
      cef: { ...header, file: 'syslog', 'syslog.address': path, 'syslog.ident': 'svc', ...extra },
    }),
    { logger, now: () => clock.now },
  )!;
  cleanups.push(() => cef.close());
  return { cef, logger };
}

function record(message: string): { pri: number; tag: string; suser: string | undefined } {
  const match = localHeader.exec(message);
  expect(match, message).not.toBeNull();
  const cef = parseCef(message.slice(match![0].length));
  const suser = cef.extensions.find(([key]) => key === 'suser')?.[1];
  return { pri: Number(match![1]), tag: match![2]!, suser };
}

describe('CEF to the local syslog socket', () => {
  it('sends one datagram per record to a Unix datagram socket, as journald and rsyslog serve /dev/log', async () => {
    const path = socketPath();
    const receiver = await startUnixDatagramReceiver(path);
    cleanups.push(() => receiver.stop());
    const { cef } = localLogger(path, {
      'syslog.facility': 'AUTH',
      'syslog.priority': 'WARNING',
      'syslog.options': 'PID',
    });

    for (const name of ['alice', 'ünïcode', 'two\nlines']) cef.log(event(name));
    await until(() => cef.stats().written === 3, 'three confirmed records');

    expect(receiver.messages).toHaveLength(3);
    const records = receiver.messages.map(record);
    // AUTH (4) * 8 + WARNING (4)
    expect(records.map((entry) => entry.pri)).toEqual([36, 36, 36]);
    expect(new Set(records.map((entry) => entry.tag))).toEqual(new Set([`svc[${process.pid}]`]));
    expect(records.map((entry) => entry.suser)).toEqual(['alice', 'ünïcode', 'two\nlines']);
    expect(cef.stats().failed).toBe(0);
  });

  it('counts exactly the records a vanished daemon lost, and resumes when it is back', async () => {
    const path = socketPath();
    const clock = { now: 0 };
    let receiver = await startUnixDatagramReceiver(path);
    cleanups.push(() => receiver.stop());
    const { cef, logger } = localLogger(path, {}, clock);

    for (let i = 0; i < 5; i++) cef.log(event(`before${i}`));
    await until(() => cef.stats().written === 5, 'the first five records');

    await receiver.stop();
    for (let i = 0; i < 5; i++) cef.log(event(`during${i}`));
    await until(() => cef.stats().failed === 5, 'the five lost records');
    const failure = logger.records.find((entry) => entry.type === 'cef.sink.failed');
    expect(failure?.fields['reason']).toMatch(/No such file or directory|Connection refused/);

    receiver = await startUnixDatagramReceiver(path);
    clock.now += 1_000;
    for (let i = 0; i < 3; i++) cef.log(event(`after${i}`));
    await until(() => cef.stats().written === 8, 'the three records after the restart');

    expect(cef.stats()).toEqual({ written: 8, failed: 5 });
    expect(receiver.messages.map((message) => record(message).suser)).toEqual([
      'after0',
      'after1',
      'after2',
    ]);
    expect(logger.records.some((entry) => entry.type === 'cef.sink.recovered')).toBe(true);
  });

  it('close() returns once every record is confirmed', async () => {
    const path = socketPath();
    const receiver = await startUnixDatagramReceiver(path);
    cleanups.push(() => receiver.stop());
    const { cef } = localLogger(path);
    for (let i = 0; i < 200; i++) cef.log(event(`user${i}`));
    await cef.close();
    expect(cef.stats()).toEqual({ written: 200, failed: 0 });
    await until(() => receiver.messages.length === 200, 'every datagram');
  });

  it('writes newline-ended messages to a Unix stream socket', async () => {
    const path = socketPath();
    const received: Buffer[] = [];
    const accepted: Socket[] = [];
    const server = createServer((socket) => {
      accepted.push(socket);
      socket.on('data', (chunk) => received.push(chunk));
    });
    server.listen(path);
    await once(server, 'listening');
    cleanups.push(() => {
      for (const socket of accepted) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    });
    const { cef } = localLogger(path);
    cef.log(event('alice'));
    cef.log(event('bob'));
    await until(() => cef.stats().written === 2, 'two confirmed records');
    await until(() => Buffer.concat(received).toString().split('\n').length === 3, 'two lines');
    const lines = Buffer.concat(received).toString('utf8').split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => record(line))).toMatchObject([
      { pri: 166, tag: 'svc', suser: 'alice' },
      { pri: 166, tag: 'svc', suser: 'bob' },
    ]);
  });

  it('without logger on the PATH, connects to a stream socket directly and loses nothing', async () => {
    const path = socketPath();
    const received: Buffer[] = [];
    const server = createServer((socket) => socket.on('data', (chunk) => received.push(chunk)));
    server.listen(path);
    await once(server, 'listening');
    cleanups.push(() => new Promise((resolve) => server.close(resolve)));
    const { cef } = localLogger(path);

    const empty = mkdtempSync(join(tmpdir(), 'no-logger-'));
    const savedPath = process.env['PATH'];
    process.env['PATH'] = empty;
    try {
      cef.log(event('first'));
    } finally {
      process.env['PATH'] = savedPath;
      rmSync(empty, { recursive: true });
    }
    cef.log(event('second'));
    await until(() => cef.stats().written === 2, 'both records');
    await cef.close();
    const lines = Buffer.concat(received).toString('utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^<166>svc: Jan 05 13:45:07 server1 CEF:0\|/);
  });

  it('sends a tag that starts with a dash as the tag', async () => {
    const path = socketPath();
    const receiver = await startUnixDatagramReceiver(path);
    cleanups.push(() => receiver.stop());
    const { cef } = localLogger(path, { 'syslog.ident': '-s' });
    cef.log(event('alice'));
    await until(() => cef.stats().written === 1, 'the confirmed record');
    expect(record(receiver.messages[0]!)).toMatchObject({ tag: '-s', suser: 'alice' });
  });

  it('counts a record to a missing socket as failed, naming the reason', async () => {
    const { cef, logger } = localLogger('/nonexistent/syslog.sock');
    cef.log(event('bob'));
    await until(() => cef.stats().failed === 1, 'the failed record');
    expect(cef.stats().written).toBe(0);
    const failure = logger.records.find((entry) => entry.type === 'cef.sink.failed');
    expect(failure?.fields['reason']).toContain('/nonexistent/syslog.sock');
  });
});
