import { describe, expect, it } from 'vitest';
import { Config } from './config.js';

describe('Config.getInteger', () => {
  it('refuses a value of another type, quoting it, with SVC_ERR_CONFIG_TYPE', () => {
    const config = Config.fromObject({ server: { port: 'eighty' } }, 'app.ini');
    expect(() => config.getInteger('server', 'port')).toThrow(
      expect.objectContaining({
        code: 'SVC_ERR_CONFIG_TYPE',
        message: 'app.ini: [server] port must be an integer, got "eighty"',
      }),
    );
  });
});

describe('Config.getString', () => {
  it('describes a secret-looking value instead of quoting it', () => {
    const config = Config.fromObject({ auth: { passwd: ['hunter2', 'hunter3'] } });
    let message = '';
    try {
      config.getString('auth', 'passwd');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('[auth] passwd must be a single value, got a list');
    expect(message).not.toContain('hunter');
  });
});
