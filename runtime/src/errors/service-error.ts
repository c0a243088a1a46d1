export interface ServiceErrorOptions {
  cause?: unknown;
  /** The HTTP status when the error reaches a request. Default 500. */
  status?: number;
  /** Whether the message may be shown to the client. Default: true below 500. */
  expose?: boolean;
  headers?: Record<string, string>;
}

/**
 * Base class of every error the runtime raises on purpose. `code` is stable and documented in
 * docs/errors.md; `status` and `expose` tell the HTTP layer how to answer when the error reaches
 * a request, and `headers` travel with it (Koa clears headers set on the context before a throw).
 *
 * ```ts
 * throw new ServiceError('SVC_ERR_APP_CLOSING', 'the service is shutting down', { status: 503 });
 * ```
 */
export class ServiceError extends Error {
  readonly code: string;
  readonly status: number;
  readonly expose: boolean;
  readonly headers: Record<string, string>;

  constructor(code: string, message: string, options: ServiceErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.status = options.status ?? 500;
    this.expose = options.expose ?? this.status < 500;
    this.headers = options.headers ?? {};
  }
}
