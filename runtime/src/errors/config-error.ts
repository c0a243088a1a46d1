import { ServiceError, type ServiceErrorOptions } from './service-error.js';

export interface ConfigErrorLocation {
  file?: string | undefined;
  line?: number | undefined;
}

/**
 * A mistake in a configuration file, or in the configuration handed to the runtime. The message
 * starts with `file:line:` when both are known so that editors can jump to it.
 */
export class ConfigError extends ServiceError {
  readonly file: string | undefined;
  readonly line: number | undefined;

  constructor(
    code: string,
    message: string,
    location: ConfigErrorLocation = {},
    options: ServiceErrorOptions = {},
  ) {
    super(code, withLocation(message, location), { status: 500, expose: false, ...options });
    this.file = location.file;
    this.line = location.line;
  }
}

function withLocation(message: string, { file, line }: ConfigErrorLocation): string {
  if (file === undefined) return message;
  return line === undefined ? `${file}: ${message}` : `${file}:${line}: ${message}`;
}
