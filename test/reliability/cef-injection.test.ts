// CEF separators and line breaks in every field a client controls (the Basic user name, the path,
// Host, User-Agent), sent over real sockets to an app with a [cef] file sink. Every record the
// file holds is read back with parseCef: one record per refused request, every field intact, and
// no raw CR or LF inside a record.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, parseCef, type ParsedCef } from '../../runtime/src/index.js';
import { exchange } from './support/raw-http.js';
import {
  basic,
  createWorkspace,
  startApp,
  type AppService,
  type Workspace,
} from './support/service.js';

const forged = 'CEF:0|mozilla|weave|3|AuthFail|Login success|3|suser=admin';

interface Sent {
  what: string;
  path: string;
  host: string;
  userAgent: Buffer;
  username: string;
  /** What the record must show as the user agent (Node reads header bytes as latin1). */
  expectedAgent: string;
}

const hostile = [
  'bob\nCEF:0|x|y|1|100|forged|3|suser=admin',
  `bob\r\n${forged}`,
  'a|b|c',
  'a=b suser=admin',
  'back\\slash\\',
  'tab\there',
  'nul\u0000byte',
  'esc\u001b[31m',
  'del\u007f',
  'nel\u0085',
  'line\u2028separator',
];

function isHeaderUnsafe(code: number): boolean {
  return (code < 0x20 && code !== 0x09) || code === 0x7f || code === 0x2028;
}

/** The C0, DEL and C1 characters in a text, as code points. */
function controlCharacters(text: string): number[] {
  return [...text]
    .map((character) => character.codePointAt(0)!)
    .filter((code) => code < 0x20 || (code >= 0x7f && code <= 0x9f));
}

function cases(): Sent[] {
  const sent: Sent[] = [];
  hostile.forEach((value, index) => {
    // Node refuses C0 controls other than tab, and DEL, in header values with its own 400; the
    // rest of each hostile value goes into Host and User-Agent as it is
    const headerSafe = [...value]
      .map((character) => (isHeaderUnsafe(character.codePointAt(0)!) ? '_' : character))
      .join('');
    const agent = Buffer.from(`agent ${headerSafe}`, 'latin1');
    sent.push({
      what: JSON.stringify(value),
      path: `/1.0/${encodeURIComponent(value)}|x=y\\z${index}/info`,
      host: `host|${index}=${headerSafe.replace(/\s/g, '_')}`,
      userAgent: agent,
      // RFC 7617 splits at the first colon: the rest belongs to the password
      username: value.split(':')[0]!,
      expectedAgent: agent.toString('latin1'),
    });
  });
  return sent;
}

let workspace: Workspace;
let service: AppService;
const sent = cases();
let records: ParsedCef[];
let lines: string[];
let fileText: string;

beforeAll(async () => {
  workspace = await createWorkspace();
  const hash = await hashPassword('correct horse');
  const config = await workspace.config(`
[auth]
backend = memory
users = alice:${hash}

[cef]
vendor = reliability|vendor
product = runtime
version = 0
device_version = 1
file = cef.log
`);
  service = await startApp(config);

  for (const request of sent) {
    const head = Buffer.from(
      [
        `GET ${request.path} HTTP/1.1`,
        `Host: ${request.host}`,
        `Authorization: ${basic(request.username, 'wrong password')}`,
        'Connection: close',
        'User-Agent: ',
      ].join('\r\n'),
      'latin1',
    );
    const result = await exchange(
      service.port,
      Buffer.concat([head, request.userAgent, Buffer.from('\r\n\r\n')]),
    );
    expect(result.status, request.what).toBe(401);
  }

  // close() writes what is buffered and closes the file
  await service.close();
  fileText = await readFile(join(workspace.dir, 'cef.log'), 'utf8');
  lines = fileText.split('\n');
  expect(lines.pop()).toBe('');
  records = lines.map((line) => parseCef(line));
});

afterAll(async () => {
  await workspace?.dispose();
});

const extension = (record: ParsedCef, key: string): string | undefined =>
  record.extensions.find(([name]) => name === key)?.[1];

describe('CEF records of requests with hostile fields', () => {
  it('writes exactly one parseable record per refused request, in order', () => {
    expect(records).toHaveLength(sent.length);
    for (const record of records) {
      expect(record.vendor).toBe('reliability|vendor');
      expect(record.signature).toBe('AuthFail');
    }
  });

  it('never lets a raw CR, LF or other control character into a record', () => {
    expect(fileText).not.toContain('\r');
    for (const line of lines) {
      // C0, DEL and C1 (NEL included) are written as escapes, as docs/cef.md promises
      expect(controlCharacters(line)).toEqual([]);
      expect(line).toMatch(/^[A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} \S+ CEF:0\|/);
    }
  });

  it('keeps the forged text inside the user name field of one record', () => {
    const forging = records.filter((record) => ['Login success', 'forged'].includes(record.name));
    expect(forging).toEqual([]);
    expect(records.filter((record) => extension(record, 'suser') === 'admin')).toEqual([]);
  });

  it('reads every client-controlled field back exactly as sent', () => {
    sent.forEach((request, index) => {
      const record = records[index]!;
      expect(extension(record, 'request'), request.what).toBe(request.path);
      expect(extension(record, 'dhost'), request.what).toBe(request.host);
      expect(extension(record, 'cs1'), request.what).toBe(request.expectedAgent);
      expect(extension(record, 'requestMethod'), request.what).toBe('GET');
      expect(extension(record, 'src'), request.what).toBe('127.0.0.1');
    });
  });

  it('records the user name that was sent, control characters and separators included', () => {
    sent.forEach((request, index) => {
      expect(extension(records[index]!, 'suser'), request.what).toBe(request.username);
    });
  });
});
