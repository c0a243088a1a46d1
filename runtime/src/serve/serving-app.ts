import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * What the server needs from the service app (`createApp`'s `ServiceApp` has all of it). Kept
 * this narrow so that the shutdown steps can be exercised with a small stand-in.
 */
export interface ServingApp {
  callback(): (request: IncomingMessage, response: ServerResponse) => void;
  /** Resolves once backends and pages are ready; a rejection is a start-up error. */
  ready(): Promise<void>;
  /** Phase 1 of the legacy shutdown: the heartbeat answers 503, other requests are served. */
  beginDraining(): void;
  /** Phase 2: every new request answers 503. */
  beginClosing(): void;
  /** Releases backends and fires `app-end`, once. */
  close(): Promise<void>;
}
