// Configuration files for the benchmarked services. `generatedServiceIni` writes what
// templates/app/etc/service.ini.ejs writes for `--yes` (no CEF, one worker, mozlog at info, no
// access log); `benchOverlay` is the file a benchmark starts a service with, extending it the way
// the generated etc/test.ini does.

/** The generated service config for `--auth none` or `--auth sql --database sqlite`. */
export function generatedServiceIni({ name, auth }) {
  const lines = [
    `# ${name}: the service configuration, as the generator writes it for --yes`,
    '',
    '[service]',
    `name = ${name}`,
    'description = A service made with create-services-app',
    '',
    '[global]',
    'heartbeat_page = __heartbeat__',
    'retry_after = 1800',
    'debug = false',
    'trust_proxy = false',
    '',
    '[server]',
    'host = ${HOST:-127.0.0.1}',
    'port = ${PORT:-8000}',
    'workers = 1',
    'body_limit = 1mb',
    '',
    '[logging]',
    `name = ${name}`,
    'format = mozlog',
    'level = info',
  ];
  if (auth === 'sql') {
    lines.push('', '[auth]', 'backend = sql', `sqluri = \${SQLURI:-sqlite:../${name}.db}`);
    lines.push('create_tables = true');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The benchmark's own config: extends the service's, sets the workers, the login cache, an
 * optional access log, and drops the two one-second shutdown phases, which only slow the run.
 */
export function benchOverlay({ extendsFile, workers = 1, cacheTtl, accessLog = false }) {
  const lines = [
    '# written by bench/; extends the service config',
    '[DEFAULT]',
    `extends = ${extendsFile}`,
    '',
    '[global]',
    'graceful_shutdown_interval = 0',
    'hard_shutdown_interval = 0',
    '',
    '[server]',
    `workers = ${workers}`,
  ];
  if (accessLog) lines.push('', '[logging]', 'access_log = true');
  if (cacheTtl !== undefined) lines.push('', '[auth]', `cache_ttl = ${cacheTtl}`);
  return `${lines.join('\n')}\n`;
}
