// Slow clients against a server started with serve(): a client that trickles its headers or its
// body is closed within the configured timeout, and meanwhile everyone else is served as fast as
// before. Latency is compared with a baseline taken in the same test, never with fixed numbers.
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createWorkspace,
  send,
  serveService,
  type ServedService,
  type Workspace,
} from './support/service.js';

const headersTimeoutSeconds = 2;
const requestTimeoutSeconds = 3;
// the bound of "closed within the limit": the limit plus a generous allowance for a busy machine
const slackMs = 3000;

let workspace: Workspace;
let service: ServedService;

beforeAll(async () => {
  workspace = await createWorkspace();
  const config = await workspace.config(`
[server]
port = 0
keepalive_timeout = 1
headers_timeout = ${headersTimeoutSeconds}
request_timeout = ${requestTimeoutSeconds}

[auth]
backend = memory
`);
  service = await serveService(config);
});

afterAll(async () => {
  await service?.close();
  await workspace?.dispose();
});

interface Trickle {
  /** Resolves when the server closes the connection, with what it sent and when. */
  closed: Promise<{ afterMs: number; answer: string }>;
  stop(): void;
}

/** Opens a connection that sends `prefix` at once, then one byte of `drip` per interval. */
function trickle(prefix: string, drip: string, intervalMs: number): Trickle {
  const socket: Socket = connect(service.port, '127.0.0.1');
  const started = performance.now();
  let answer = '';
  let index = 0;
  socket.write(prefix);
  const timer = setInterval(() => {
    if (!socket.destroyed && socket.writable) socket.write(drip[index++ % drip.length]!);
  }, intervalMs);
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  socket.on('error', () => {});
  const closed = new Promise<{ afterMs: number; answer: string }>((resolve) => {
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ afterMs: performance.now() - started, answer });
    });
  });
  return {
    closed,
    stop: () => {
      clearInterval(timer);
      socket.destroy();
    },
  };
}

/** Times `count` sequential requests for `/` and returns their durations in milliseconds. */
async function latencies(count: number): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    const answer = await send(service.port, '/');
    times.push(performance.now() - started);
    expect(answer.status).toBe(200);
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Resolves with the outcome, or with `undefined` once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  return Promise.race([
    promise,
    new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), ms)),
  ]);
}

describe('slow clients', () => {
  it('closes clients that send headers one byte per second within headers_timeout, serving others meanwhile', async () => {
    const baseline = await latencies(30);

    const slow = Array.from({ length: 20 }, () =>
      trickle('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n', `X-Slow: ${'a'.repeat(200)}`, 1000),
    );
    try {
      // the slow clients are connected and trickling while these run
      await new Promise((resolve) => setTimeout(resolve, 300));
      const during = await latencies(30);
      expect(median(during)).toBeLessThan(3 * median(baseline) + 50);

      const limitMs = headersTimeoutSeconds * 1000 + slackMs;
      const outcomes = await within(Promise.all(slow.map((client) => client.closed)), limitMs);
      expect(outcomes, `slow clients still open after ${limitMs} ms`).toBeDefined();
      for (const outcome of outcomes ?? []) {
        expect(outcome.afterMs).toBeLessThan(limitMs);
        // either Node's 408 or a bare close; never an answer from the app
        if (outcome.answer !== '') expect(outcome.answer).toMatch(/^HTTP\/1\.1 408 /);
      }
    } finally {
      for (const client of slow) client.stop();
    }

    expect((await send(service.port, '/')).status).toBe(200);
  }, 20_000);

  it('closes a client that never finishes its body within request_timeout', async () => {
    const client = trickle(
      'POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"a":',
      ' ',
      1000,
    );
    try {
      const limitMs = requestTimeoutSeconds * 1000 + slackMs;
      const outcome = await within(client.closed, limitMs);
      expect(outcome, `the client is still open after ${limitMs} ms`).toBeDefined();
      expect(outcome?.answer ?? '').not.toMatch(/^HTTP\/1\.1 5/);
    } finally {
      client.stop();
    }
    expect((await send(service.port, '/')).status).toBe(200);
  }, 20_000);
});
