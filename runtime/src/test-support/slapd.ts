import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './free-port.js';
import { makeTestCertificates } from './test-certificates.js';

const run = promisify(execFile);
const scripts = join(import.meta.dirname, '../../../scripts');

/** A running throwaway slapd (see scripts/start-slapd.sh for its fixture). */
export interface Slapd {
  url: string;
  port: number;
  /** With `tls`: `ldaps://127.0.0.1:<port>`; `url` then offers StartTLS as well. */
  ldapsUrl: string | undefined;
  /** With `tls`: the PEM file of the throwaway CA that signed the server's certificate. */
  caFile: string | undefined;
  pid: number;
  dir: string;
  /** The suffix of the fixture, `dc=example,dc=com`. */
  suffix: string;
  adminDn: string;
  adminPassword: string;
  /** The server's log so far (stats level: one line per BIND, SRCH, ...). */
  log(): Promise<string>;
  /** Stops the server and waits for it to exit; the data stays for `restart()`. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  dispose(): Promise<void>;
}

export interface StartSlapdOptions {
  /**
   * Also listen on `ldaps://` and offer StartTLS, with a certificate for 127.0.0.1 signed by a CA
   * made for this server alone. Default false.
   */
  tls?: boolean;
}

/**
 * Starts slapd on a free loopback port with its config and data in a new temporary directory.
 * Tests call it in `beforeAll` and `dispose()` in `afterAll`.
 *
 * ```ts
 * const slapd = await startSlapd({ tls: true }); // slapd.ldapsUrl, slapd.caFile
 * ```
 */
export async function startSlapd(options: StartSlapdOptions = {}): Promise<Slapd> {
  if (!existsSync('/usr/sbin/slapd') || !existsSync('/usr/bin/ldapadd')) {
    throw new Error('slapd and ldap-utils are not installed: run scripts/setup.sh first');
  }
  const dir = await mkdtemp(join(tmpdir(), 'slapd-test-'));
  const port = await freePort();
  const pidFile = join(dir, 'slapd.fg.pid');
  let pid = 0;

  // the certificates live next to the server's data, so dispose() removes them too
  const tlsDir = join(dir, 'tls');
  const certificates = options.tls
    ? await mkdir(tlsDir).then(() => makeTestCertificates(tlsDir))
    : undefined;
  const ldapsPort = certificates ? await freePort() : undefined;
  const args = [dir, String(port), ...(ldapsPort === undefined ? [] : [String(ldapsPort)])];
  const env = certificates ? { ...process.env, TLS_DIR: tlsDir } : process.env;

  const start = async (): Promise<void> => {
    await run(join(scripts, 'start-slapd.sh'), args, { timeout: 30_000, env });
    pid = Number((await readFile(pidFile, 'utf8')).trim());
  };
  const stop = async (): Promise<void> => {
    await run(join(scripts, 'stop-by-pid.sh'), [pidFile], { timeout: 30_000 });
  };
  await start();

  return {
    url: `ldap://127.0.0.1:${port}`,
    port,
    ldapsUrl: ldapsPort === undefined ? undefined : `ldaps://127.0.0.1:${ldapsPort}`,
    caFile: certificates?.caFile,
    get pid() {
      return pid;
    },
    dir,
    suffix: 'dc=example,dc=com',
    adminDn: 'cn=admin,dc=example,dc=com',
    adminPassword: 'adminpw',
    log: () => readFile(join(dir, 'slapd.log'), 'utf8'),
    stop,
    restart: start,
    dispose: async () => {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
