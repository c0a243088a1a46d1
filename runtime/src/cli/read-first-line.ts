import type { Readable } from 'node:stream';

/**
 * Reads standard input up to the first line break (or its end) and stops there, so that a
 * password piped in as `echo secret | ...` or typed at a terminal is read the same way. A trailing
 * CR (from a CRLF line) is dropped; spaces are kept, since they may be part of the password.
 */
export function readFirstLine(input: Readable): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (line: string | undefined): void => {
      if (settled) return;
      settled = true;
      input.off('data', onData);
      input.off('end', onEnd);
      input.off('error', onError);
      input.pause();
      resolve(line);
    };
    const onData = (chunk: Buffer | string): void => {
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
      const text = Buffer.concat(chunks).toString('utf8');
      const newline = text.indexOf('\n');
      if (newline !== -1) finish(text.slice(0, newline).replace(/\r$/, ''));
    };
    const onEnd = (): void => {
      const text = Buffer.concat(chunks).toString('utf8').replace(/\r$/, '');
      finish(chunks.length === 0 ? undefined : text);
    };
    const onError = (error: Error): void => {
      if (!settled) reject(error);
    };
    input.on('data', onData);
    input.on('end', onEnd);
    input.on('error', onError);
  });
}
