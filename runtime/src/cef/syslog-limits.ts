/** How long a syslog sink waits after a failed connection before it tries again. */
export const RECONNECT_DELAY_MS = 1_000;

/**
 * Beyond this much unsent data the receiver is not reading; records are counted as lost instead
 * of growing the process's memory without bound.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/** How long `close()` waits for buffered records to leave before it drops the connection. */
export const CLOSE_TIMEOUT_MS = 2_000;
