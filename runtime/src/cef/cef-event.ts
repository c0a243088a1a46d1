/** The request facts a CEF record carries, already resolved (the client address is decided by the
 * runtime's proxy settings, not read from headers here). */
export interface CefRequest {
  method?: string | undefined;
  path?: string | undefined;
  host?: string | undefined;
  userAgent?: string | undefined;
  remoteAddress?: string | undefined;
}

/** One security event. `signature` defaults to `name`; `severity` is 0-10. */
export interface CefEvent {
  name: string;
  severity: number;
  signature?: string | undefined;
  username?: string | undefined;
  extensions?: Record<string, string | number | boolean> | undefined;
  request?: CefRequest | undefined;
  /** Printed in local time; defaults to now. */
  date?: Date | undefined;
  /** Defaults to the machine's name. */
  hostname?: string | undefined;
}

/** The header fields from `[cef]`. */
export interface CefConfig {
  vendor: string;
  product: string;
  version: string | number;
  deviceVersion: string | number;
}

/** Where CEF records go: built from `[cef]` by `createCefLogger`, shared by the whole app. */
export interface CefLogger {
  log(event: CefEvent): void;
  /** Records written and records lost since start, per sink. */
  stats(): { written: number; failed: number };
  close(): Promise<void>;
}
