import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';

// Node cannot open Unix datagram sockets, so a few lines of Python hold one, the way journald or
// rsyslog hold /dev/log, and print each datagram as a base64 line.
const receiverScript = `
import base64, os, socket, sys
path = sys.argv[1]
sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
sock.bind(path)
print("ready", flush=True)
while True:
    print(base64.b64encode(sock.recv(262144)).decode(), flush=True)
`;

export interface UnixDatagramReceiver {
  /** Every datagram received so far, decoded as UTF-8. */
  readonly messages: string[];
  /** Stops receiving and removes the socket file, as a syslog daemon that goes away would. */
  stop(): Promise<void>;
}

/** Binds a Unix datagram socket at `path` and collects what arrives. */
export async function startUnixDatagramReceiver(path: string): Promise<UnixDatagramReceiver> {
  rmSync(path, { force: true });
  const child = spawn('python3', ['-c', receiverScript, path], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const messages: string[] = [];
  const lines = createInterface({ input: child.stdout });
  const ready = new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the datagram receiver exited with ${code}`)));
    lines.on('line', (line) => {
      if (line === 'ready') resolve();
      else messages.push(Buffer.from(line, 'base64').toString('utf8'));
    });
  });
  await ready;
  return {
    messages,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill();
        await once(child, 'exit');
      }
      rmSync(path, { force: true });
    },
  };
}
