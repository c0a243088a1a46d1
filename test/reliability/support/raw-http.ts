// Raw-socket HTTP for the reliability suites: the bytes go out exactly as written, so the tests
// reach the parser and the app with requests that no HTTP client library would send.
import { connect } from 'node:net';

/** What came back on one connection. */
export interface RawExchange {
  /** The status of the first response, or undefined when none arrived. */
  status: number | undefined;
  /** The header block of the first response, lines split, the status line first. */
  head: string[];
  /** Everything after the first header block. */
  body: string;
  /** Every byte the server sent. */
  raw: Buffer;
  /** `closed` when the server ended the connection, `timeout` when the test gave up. */
  ending: 'closed' | 'timeout';
  elapsedMs: number;
}

/**
 * Sends `bytes` on a fresh connection and collects the answer until the server closes the
 * connection or `timeoutMs` passes. Requests should carry `Connection: close` so that a
 * well-behaved answer ends with a close.
 */
export function exchange(
  port: number,
  bytes: string | Buffer,
  options: { timeoutMs?: number } = {},
): Promise<RawExchange> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const started = performance.now();
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (ending: RawExchange['ending']): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(parseExchange(Buffer.concat(chunks), ending, performance.now() - started));
    };
    const timer = setTimeout(() => finish('timeout'), timeoutMs);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('close', () => finish('closed'));
    // a reset after the answer is still an answer: keep what arrived
    socket.on('error', () => finish('closed'));
    socket.write(typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes);
  });
}

function parseExchange(raw: Buffer, ending: RawExchange['ending'], elapsedMs: number): RawExchange {
  const text = raw.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = end === -1 ? [] : text.slice(0, end).split('\r\n');
  const match = /^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '');
  return {
    status: match ? Number(match[1]) : undefined,
    head,
    body: end === -1 ? '' : text.slice(end + 4),
    raw,
    ending,
    elapsedMs,
  };
}

/** The value of a header in a raw response head, case-insensitive, or undefined. */
export function headerOf(result: RawExchange, name: string): string | undefined {
  const prefix = `${name.toLowerCase()}:`;
  const line = result.head.slice(1).find((entry) => entry.toLowerCase().startsWith(prefix));
  return line?.slice(prefix.length).trim();
}

/** A GET request with the given extra header lines, closing the connection after the answer. */
export function rawGet(path: string, headerLines: string[] = []): string {
  return [
    `GET ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    ...headerLines,
    'Connection: close',
    '',
    '',
  ].join('\r\n');
}
