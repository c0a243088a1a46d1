// Messages between a cluster primary and its workers, over the cluster's IPC channel. The prefix
// keeps them apart from messages an application sends itself.

/** Primary to worker: stop accepting, finish the requests in progress, exit 0. */
export interface RetireMessage {
  type: 'services-runtime:retire';
}

/** Worker to primary: start-up failed; the primary names the cause if workers keep failing. */
export interface StartupFailedMessage {
  type: typeof STARTUP_FAILED;
  code: string | undefined;
  message: string;
}

export const RETIRE: RetireMessage = { type: 'services-runtime:retire' };

export const STARTUP_FAILED = 'services-runtime:startup-failed';

export function isRetireMessage(message: unknown): message is RetireMessage {
  return (message as { type?: unknown } | null)?.type === RETIRE.type;
}

export function isStartupFailedMessage(message: unknown): message is StartupFailedMessage {
  return (message as { type?: unknown } | null)?.type === STARTUP_FAILED;
}
