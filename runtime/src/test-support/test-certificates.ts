import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The files `makeTestCertificates` writes, as absolute paths. */
export interface TestCertificates {
  /** The throwaway CA's certificate, the one file a client needs to trust the server. */
  caFile: string;
  /** The server certificate for 127.0.0.1 (an IP subjectAltName), signed by the CA. */
  certificateFile: string;
  keyFile: string;
}

/**
 * Makes a throwaway CA and a server certificate for 127.0.0.1 with `openssl` in `dir`, as
 * `ca.pem`, `server.pem` and `server-key.pem` (the names scripts/start-slapd.sh reads). Both are
 * valid for two days; the CA key stays in `dir`, which the caller removes.
 */
export async function makeTestCertificates(dir: string): Promise<TestCertificates> {
  // each command is written as one line; no argument holds a space
  const openssl = (command: string): Promise<unknown> =>
    run('openssl', command.split(' '), { cwd: dir, timeout: 30_000 });
  const newKey = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';

  // the CA
  await openssl(
    `req -x509 ${newKey} -days 2 -subj /CN=services-runtime-test-CA -keyout ca-key.pem -out ca.pem` +
      ' -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign',
  );

  // the server: clients check an address against the IP subjectAltName, never the common name
  await openssl(`req -new ${newKey} -subj /CN=127.0.0.1 -keyout server-key.pem -out server.csr`);
  await writeFile(
    join(dir, 'server.ext'),
    [
      'subjectAltName = IP:127.0.0.1',
      'basicConstraints = CA:FALSE',
      'keyUsage = critical,digitalSignature',
      'extendedKeyUsage = serverAuth',
      '',
    ].join('\n'),
  );
  await openssl(
    'x509 -req -in server.csr -days 2 -set_serial 2 -CA ca.pem -CAkey ca-key.pem' +
      ' -extfile server.ext -out server.pem',
  );

  return {
    caFile: join(dir, 'ca.pem'),
    certificateFile: join(dir, 'server.pem'),
    keyFile: join(dir, 'server-key.pem'),
  };
}
