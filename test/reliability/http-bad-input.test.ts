// Bad requests on raw sockets against a server started with serve(): every one ends in a definite
// 4xx (or Node's own 400/431 before the app runs), never a 5xx, and the server keeps serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword } from '../../runtime/src/index.js';
import { exchange, headerOf, rawGet, type RawExchange } from './support/raw-http.js';
import {
  basic,
  createWorkspace,
  serveService,
  type ServedService,
  type Workspace,
} from './support/service.js';

let workspace: Workspace;
let service: ServedService;

beforeAll(async () => {
  workspace = await createWorkspace();
  const hash = await hashPassword('correct horse');
  const config = await workspace.config(`
[server]
port = 0
body_limit = 1kb

[auth]
backend = memory
realm = reliability
users = alice:${hash}
`);
  service = await serveService(config);
});

afterAll(async () => {
  await service?.close();
  await workspace?.dispose();
});

function expectDefinite4xx(result: RawExchange, what: string): void {
  expect(result.ending, `${what}: the server must answer and close`).toBe('closed');
  expect(result.status, `${what}: status`).toBeGreaterThanOrEqual(400);
  expect(result.status, `${what}: status`).toBeLessThan(500);
  // no stack frame ever reaches a client
  expect(result.body, what).not.toMatch(/\n\s+at /);
}

async function expectStillServing(): Promise<void> {
  const after = await exchange(service.port, rawGet('/'));
  expect(after.status).toBe(200);
  expect(after.body).toBe('hello');
  const failures = service.log.records().filter((record) => record.Type === 'app.error');
  expect(failures).toEqual([]);
}

describe('Authorization header on the wire', () => {
  it('answers 401 with the Basic challenge to malformed credentials', async () => {
    const malformed = [
      'Basic',
      'Basic ',
      'Bearer abc',
      'Basic Zm9v*mJhcg==',
      'Basic Zm9v=OmJhcg==',
      'Basic Zm9vYmFy',
      'Basic Zm9vOmJhcg',
      'Basic YT8-OmI',
      'Basic ===',
      `Basic ${Buffer.from(':nobody').toString('base64')}`,
      `Basic ${'A'.repeat(4000)}`,
      'Digest username="alice"',
      basic('alice', 'wrong'),
      basic('alice', ''),
      basic('a'.repeat(300), 'correct horse'),
    ];
    for (const value of malformed) {
      const result = await exchange(service.port, rawGet('/private', [`Authorization: ${value}`]));
      expectDefinite4xx(result, value.slice(0, 40));
      expect(result.status, value.slice(0, 40)).toBe(401);
      expect(headerOf(result, 'www-authenticate')).toBe(
        'Basic realm="reliability", charset="UTF-8"',
      );
    }
    await expectStillServing();
  });

  it('answers 401 to credentials that are not UTF-8, in the token or in the raw header bytes', async () => {
    const latin1User = basic(Buffer.from([0x6a, 0xf6, 0x72, 0x67]), 'correct horse');
    const latin1Password = basic('alice', Buffer.from('correct horse\xe9', 'latin1'));
    const overlong = basic('alice', Buffer.from([0xc0, 0xaf]));
    for (const value of [latin1User, latin1Password, overlong]) {
      const result = await exchange(service.port, rawGet('/private', [`Authorization: ${value}`]));
      expect(result.status, value).toBe(401);
    }
    // bytes above 0x7f straight in the header value (obs-text, which Node lets through)
    const rawBytes = Buffer.concat([
      Buffer.from('GET /private HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Basic '),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28]),
      Buffer.from('\r\nConnection: close\r\n\r\n'),
    ]);
    const result = await exchange(service.port, rawBytes);
    expectDefinite4xx(result, 'raw non-UTF-8 bytes');
    expect(result.status).toBe(401);
    await expectStillServing();
  });

  it('answers 400 to two Authorization headers, even when one of them is right', async () => {
    const good = basic('alice', 'correct horse');
    for (const pair of [
      [good, basic('mallory', 'x')],
      [basic('mallory', 'x'), good],
      [good, good],
    ]) {
      const lines = pair.map((value) => `Authorization: ${value}`);
      const result = await exchange(service.port, rawGet('/private', lines));
      expectDefinite4xx(result, 'two headers');
      expect(result.status).toBe(400);
    }
    const single = await exchange(service.port, rawGet('/private', [`Authorization: ${good}`]));
    expect(single.status).toBe(200);
  });

  it('answers 431 to an Authorization header past the header limit, before the app runs', async () => {
    const huge = `Basic ${Buffer.from(`alice:${'p'.repeat(20_000)}`).toString('base64')}`;
    const result = await exchange(service.port, rawGet('/private', [`Authorization: ${huge}`]));
    expectDefinite4xx(result, 'huge header');
    expect(result.status).toBe(431);
    await expectStillServing();
  });
});

describe('header and body limits', () => {
  it('answers 431 to many headers that together pass 16 KiB', async () => {
    const lines = Array.from({ length: 400 }, (_, index) => `X-Filler-${index}: ${'v'.repeat(40)}`);
    const result = await exchange(service.port, rawGet('/', lines));
    expect(result.status).toBe(431);
    await expectStillServing();
  });

  it('answers 4xx, never 5xx, to 2,100 small header fields', async () => {
    const lines = Array.from({ length: 2100 }, (_, index) => `X-${index}: 1`);
    const result = await exchange(service.port, rawGet('/', lines));
    // the fields fit within 16 KiB: Node keeps 1,000 of them and the app answers
    expect(result.ending).toBe('closed');
    expect(result.status).toBeLessThan(500);
    await expectStillServing();
  });

  it('answers 413 to a JSON body over body_limit and 400 to malformed or truncated JSON', async () => {
    const post = (body: string, extra: string[] = []): string =>
      [
        'POST /echo HTTP/1.1',
        'Host: 127.0.0.1',
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        ...extra,
        'Connection: close',
        '',
        body,
      ].join('\r\n');

    const large = await exchange(service.port, post(JSON.stringify({ fill: 'x'.repeat(2000) })));
    expectDefinite4xx(large, 'large body');
    expect(large.status).toBe(413);

    for (const body of ['{"user"', '{"a":1,}', '\u0000', '{"a":"\\ud800"']) {
      const result = await exchange(service.port, post(body));
      expectDefinite4xx(result, JSON.stringify(body));
      expect(result.status, JSON.stringify(body)).toBe(400);
    }

    const fine = await exchange(service.port, post('{"a":1}'));
    expect(fine.status).toBe(200);
    expect(JSON.parse(fine.body)).toEqual({ received: { a: 1 } });
  });

  it('answers 400 to framing Node refuses: two Content-Length, Content-Length with chunked, no Host', async () => {
    const requests = [
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}',
      'POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
      'GET / HTTP/1.1\r\nConnection: close\r\n\r\n',
      'GET / HTTP/1.1\r\nHost: x\r\nX-Bad : y\r\n\r\n',
      'GET / HTTP/1.1\nHost: x\n\n',
    ];
    for (const bytes of requests) {
      const result = await exchange(service.port, bytes);
      expectDefinite4xx(result, JSON.stringify(bytes));
      expect(result.status, JSON.stringify(bytes)).toBe(400);
    }
    await expectStillServing();
  });
});

describe('paths and percent-encoding', () => {
  it('answers every malformed or hostile path with 4xx, never 5xx', async () => {
    const paths = [
      '/%',
      '/%zz',
      '/%2',
      '/..%2f',
      '/..%2f..%2fetc%2fpasswd',
      '/%2e%2e/%2e%2e/',
      '/a/../../etc/passwd',
      '/%00',
      '/a%00b',
      '/%c0%af',
      '/%c0%ae%c0%ae/',
      '/%e0%80%af',
      '/%ed%a0%80',
      '/%ff',
      '/%E0%A4%A',
      '//evil.example',
      '/1.0/%zz/info',
      '/1.0/%c0%af/info',
      '/1.0/%00/info',
      '/1.0/%/info',
      `/${'%25'.repeat(2000)}`,
      `/${'-'.repeat(8000)}`,
    ];
    for (const path of paths) {
      const result = await exchange(service.port, rawGet(path));
      expectDefinite4xx(result, path.slice(0, 40));
    }
    await expectStillServing();
  });

  it('answers 400 from Node to raw NUL, space and control bytes in the request target', async () => {
    for (const target of ['/a\u0000b', '/a b', '/a\u0007b', '/a\u007fb']) {
      const result = await exchange(service.port, rawGet(target));
      expectDefinite4xx(result, JSON.stringify(target));
      expect(result.status, JSON.stringify(target)).toBe(400);
    }
    await expectStillServing();
  });

  it('answers absolute-form and asterisk-form targets without a 5xx', async () => {
    for (const target of ['http://evil.example/', '*', 'http://127.0.0.1/%zz']) {
      const result = await exchange(service.port, rawGet(target));
      expect(result.ending, target).toBe('closed');
      expect(result.status, target).toBeLessThan(500);
    }
    await expectStillServing();
  });
});
