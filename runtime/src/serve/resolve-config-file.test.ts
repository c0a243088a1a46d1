import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfigFile } from './resolve-config-file.js';

const fallback = 'etc/my-service.ini';

describe('resolveConfigFile', () => {
  it('prefers --config PATH over the environment and the fallback', () => {
    const argv = ['node', 'main.js', '--config', '/srv/a.ini'];
    expect(resolveConfigFile({ argv, env: { SERVICES_CONFIG: '/srv/b.ini' }, fallback })).toBe(
      '/srv/a.ini',
    );
  });

  it('reads --config=PATH and resolves a relative path from the working directory', () => {
    const argv = ['node', 'main.js', '--config=etc/test.ini'];
    expect(resolveConfigFile({ argv, env: {}, fallback })).toBe(resolve('etc/test.ini'));
  });

  it('uses SERVICES_CONFIG when no argument is given', () => {
    expect(resolveConfigFile({ argv: [], env: { SERVICES_CONFIG: '/srv/b.ini' }, fallback })).toBe(
      '/srv/b.ini',
    );
  });

  it('falls back to the service default, ignoring an empty SERVICES_CONFIG', () => {
    expect(resolveConfigFile({ argv: [], env: { SERVICES_CONFIG: '' }, fallback })).toBe(
      resolve(fallback),
    );
  });

  it('ignores arguments after --', () => {
    const argv = ['node', 'main.js', '--', '--config', '/srv/a.ini'];
    expect(resolveConfigFile({ argv, env: {}, fallback })).toBe(resolve(fallback));
  });

  it('refuses --config without a path', () => {
    for (const argv of [['--config'], ['--config='], ['--config', '--port']]) {
      expect(() => resolveConfigFile({ argv, env: {}, fallback })).toThrow(
        expect.objectContaining({ code: 'SVC_ERR_SERVE_CONFIG_ARGUMENT' }),
      );
    }
  });
});
