// The CEF sink fails while requests flow through HTTP: the file's folder disappears (and comes
// back), or the syslog receiver refuses connections. Every request still gets its normal answer
// without waiting on the log, and the app knows exactly how many records it lost.
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashPassword } from '../../runtime/src/index.js';
import { freePort } from '../../runtime/src/test-support/free-port.js';
import {
  basic,
  createWorkspace,
  send,
  startApp,
  type AppService,
  type Workspace,
} from './support/service.js';

let workspace: Workspace;
let service: AppService | undefined;
let users: string;

beforeEach(async () => {
  workspace = await createWorkspace();
  users = `alice:${await hashPassword('correct horse')}`;
});

afterEach(async () => {
  await service?.close();
  service = undefined;
  await workspace.dispose();
});

const cefSection = (file: string): string => `
[cef]
vendor = reliability
product = runtime
version = 0
device_version = 1
file = ${file}
`;

/** Sends `count` refused logins (one CEF record each) and returns their latencies. */
async function refusedLogins(port: number, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    const started = performance.now();
    const answer = await send(port, '/private', {
      headers: { authorization: basic('alice', `wrong ${index}`) },
    });
    times.push(performance.now() - started);
    expect(answer.status).toBe(401);
    expect(answer.headers['www-authenticate']).toMatch(/^Basic /);
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe('a CEF file sink that becomes unwritable', () => {
  it('answers every request normally and counts exactly the records it could not write', async () => {
    const folder = join(workspace.dir, 'cef');
    await mkdir(folder);
    const config = await workspace.config(`
[auth]
backend = memory
users = ${users}
${cefSection('cef/security.log')}
`);
    service = await startApp(config);
    const cef = service.app.cefLogger!;

    const before = await refusedLogins(service.port, 10);
    expect(cef.stats()).toEqual({ written: 10, failed: 0 });

    // the folder goes away; the sink notices at its next check (at most a second later)
    await rm(folder, { recursive: true });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const during = await refusedLogins(service.port, 10);
    expect(cef.stats()).toEqual({ written: 10, failed: 10 });
    expect(median(during)).toBeLessThan(3 * median(before) + 50);
    const failed = service.log.records().filter((record) => record.Type === 'cef.sink.failed');
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed[0]!.Fields).toMatchObject({
      count: expect.any(Number),
      total: expect.any(Number),
    });

    // it comes back: the next record opens the file again
    await mkdir(folder);
    await refusedLogins(service.port, 5);
    expect(cef.stats()).toEqual({ written: 15, failed: 10 });
    expect(service.log.records().some((record) => record.Type === 'cef.sink.recovered')).toBe(true);

    await service.close();
    service = undefined;
    const lines = (await readFile(join(folder, 'security.log'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(5);
  }, 20_000);
});

describe('a CEF syslog sink whose receiver refuses connections', () => {
  it('answers every request normally and counts every record as lost', async () => {
    const port = await freePort();
    const config = await workspace.config(`
[auth]
backend = memory
users = ${users}
${cefSection('syslog')}
syslog.address = tcp://127.0.0.1:${port}
`);
    service = await startApp(config);
    const cef = service.app.cefLogger!;

    await refusedLogins(service.port, 20);
    const answer = await send(service.port, '/private', {
      headers: { authorization: basic('alice', 'correct horse') },
    });
    expect(answer.status).toBe(200);

    await service.close();
    service = undefined;
    expect(cef.stats()).toEqual({ written: 0, failed: 20 });
  }, 20_000);
});
