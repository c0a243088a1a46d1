import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { Config } from '../config/config.js';
import { createMemoryLogger } from '../log/logger.js';
import type { CefEvent, CefLogger } from './cef-event.js';
import { createCefLogger } from './create-cef-logger.js';
import { parseCef } from './parse-cef.js';
import { until } from '../test-support/until.js';

const header = { vendor: 'mozilla', product: 'weave', version: 0, device_version: 3 };
const event: CefEvent = {
  name: 'AuthFail',
  severity: 7,
  username: 'bob',
  date: new Date(2026, 0, 5, 13, 45, 7),
  hostname: 'server1',
};
const cleanups: (() => Promise<unknown> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function syslogLogger(
  address: string,
  extra: Record<string, string> = {},
  now?: () => number,
): CefLogger {
  const cef = createCefLogger(
    Config.fromObject({
      cef: {
        ...header,
        file: 'syslog',
        'syslog.address': address,
        'syslog.ident': 'svc',
        ...extra,
      },
    }),
    { logger: createMemoryLogger(), now },
  )!;
  cleanups.push(() => cef.close());
  return cef;
}

async function tcpListener(): Promise<{ server: Server; port: number; received: () => string }> {
  const chunks: Buffer[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('close', () => sockets.delete(socket));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => {
    for (const socket of sockets) socket.destroy();
    return new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  return { server, port, received: () => Buffer.concat(chunks).toString('utf8') };
}

// RFC 6587 section 3.4.1: each frame is "LENGTH SP MESSAGE", LENGTH counted in bytes
function splitOctetCounted(data: Buffer): string[] {
  const frames: string[] = [];
  let offset = 0;
  while (offset < data.length) {
    const space = data.indexOf(0x20, offset);
    const length = Number(data.subarray(offset, space).toString('ascii'));
    frames.push(data.subarray(space + 1, space + 1 + length).toString('utf8'));
    offset = space + 1 + length;
  }
  return frames;
}

describe('createCefLogger with syslog', () => {
  it('sends one UDP datagram per record with PRI, tag and the CEF line', async () => {
    const listener = createSocket('udp4');
    const datagrams: Buffer[] = [];
    listener.on('message', (message) => datagrams.push(message));
    listener.bind(0, '127.0.0.1');
    await once(listener, 'listening');
    cleanups.push(() => new Promise<void>((resolve) => listener.close(() => resolve())));
    const { port } = listener.address();

    const cef = syslogLogger(`udp://127.0.0.1:${port}`, {
      'syslog.facility': 'AUTH',
      'syslog.priority': 'WARNING',
    });
    const forged = 'bob\nCEF:0|Vendor|Product|1|100|Login success|3|suser=admin';
    cef.log({ ...event, username: forged });
    cef.log({ ...event, username: 'zoë ✓ \ud83d\ude00'.repeat(40) });
    await until(() => datagrams.length === 2, 'two datagrams');

    const [first, second] = datagrams.map((datagram) => datagram.toString('utf8'));
    // AUTH (4) * 8 + WARNING (4)
    expect(first).toMatch(/^<36>svc: Jan 05 13:45:07 server1 CEF:0\|mozilla\|weave\|3\|AuthFail\|/);
    expect(first).not.toMatch(/[\r\n]/);
    const line = first!.slice('<36>svc: '.length);
    expect(parseCef(line).extensions).toContainEqual(['suser', forged]);
    // a multi-byte record arrives whole: the datagram length is the UTF-8 byte length
    expect(parseCef(second!.slice('<36>svc: '.length)).extensions).toContainEqual([
      'suser',
      'zoë ✓ \ud83d\ude00'.repeat(40),
    ]);
    expect(datagrams[1]!.length).toBe(Buffer.byteLength(second!));
    await until(() => cef.stats().written === 2, 'send callbacks');
  });

  it('adds the pid to the tag with the PID option and defaults to LOCAL4.INFO', async () => {
    const listener = createSocket('udp4');
    const datagrams: string[] = [];
    listener.on('message', (message) => datagrams.push(message.toString('utf8')));
    listener.bind(0, '127.0.0.1');
    await once(listener, 'listening');
    cleanups.push(() => new Promise<void>((resolve) => listener.close(() => resolve())));

    const cef = syslogLogger(`udp://127.0.0.1:${listener.address().port}`, {
      'syslog.options': 'PID',
    });
    cef.log(event);
    await until(() => datagrams.length === 1, 'a datagram');
    // LOCAL4 (20) * 8 + INFO (6)
    expect(datagrams[0]).toMatch(new RegExp(`^<166>svc\\[${process.pid}\\]: Jan 05 `));
  });

  it('sends octet-counted frames over TCP', async () => {
    const listener = await tcpListener();
    const cef = syslogLogger(`tcp://127.0.0.1:${listener.port}`);
    cef.log(event);
    cef.log({ ...event, username: 'ünïcode\r\nline' });
    await until(() => cef.stats().written === 2, 'two writes');
    await cef.close();
    await until(() => splitOctetCounted(Buffer.from(listener.received())).length === 2, 'frames');

    const frames = splitOctetCounted(Buffer.from(listener.received()));
    expect(frames[0]).toBe(
      '<166>svc: Jan 05 13:45:07 server1 CEF:0|mozilla|weave|3|AuthFail|AuthFail|7|cs1Label=requestClientApplication cs1=none requestMethod= request= src=None dhost=none suser=bob',
    );
    expect(parseCef(frames[1]!.slice('<166>svc: '.length)).extensions).toContainEqual([
      'suser',
      'ünïcode\r\nline',
    ]);
  });

  it('counts records lost to a refused connection and reconnects later', async () => {
    const listener = await tcpListener();
    const { port } = listener;
    await new Promise((resolve) => listener.server.close(resolve));

    let now = 0;
    const logger = createMemoryLogger();
    const cef = createCefLogger(
      Config.fromObject({
        cef: { ...header, file: 'syslog', 'syslog.address': `tcp://127.0.0.1:${port}` },
      }),
      { logger, now: () => now },
    )!;
    cleanups.push(() => cef.close());

    expect(() => cef.log(event)).not.toThrow();
    await until(() => cef.stats().failed === 1, 'the refused connection');
    cef.log(event);
    expect(cef.stats().failed).toBe(2);
    const failures = logger.records.filter((record) => record.type === 'cef.sink.failed');
    expect(failures).toHaveLength(1);
    expect(failures[0]!.fields['reason']).toMatch(/ECONNREFUSED/);

    // the receiver comes back on the same port
    const received: Buffer[] = [];
    const accepted: Socket[] = [];
    const server = createServer((socket) => {
      accepted.push(socket);
      socket.on('data', (chunk) => received.push(chunk));
    });
    server.listen(port, '127.0.0.1');
    await once(server, 'listening');
    cleanups.push(() => {
      for (const socket of accepted) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    });
    now += 1_000;
    cef.log(event);
    await until(() => cef.stats().written === 1, 'the write after reconnecting');
    await cef.close();
    await until(() => received.length > 0, 'data');
    expect(splitOctetCounted(Buffer.concat(received))).toHaveLength(1);
  });

  it('counts records it cannot send to a missing unix socket', async () => {
    const cef = syslogLogger('/nonexistent/syslog.sock');
    cef.log(event);
    await until(() => cef.stats().failed === 1, 'the failed connection');
    expect(cef.stats().written).toBe(0);
  });
});
