import { describe, expect, it } from 'vitest';
import { appFlags } from '../../generators/app/answers.js';
import { parseCommandLine } from '../../generators/lib/flags.js';

describe('parseCommandLine with the app flags', () => {
  it('reads values, negations, aliases and the directory', () => {
    const parsed = parseCommandLine(
      [
        'svc',
        '--auth',
        'sql',
        '--database=mysql',
        '--no-docker',
        '--cef',
        '--port',
        '9000',
        '-y',
        '--package-manager',
        'pnpm',
      ],
      appFlags,
    );
    expect(parsed.positionals).toEqual(['svc']);
    expect(parsed.flags).toEqual({
      auth: 'sql',
      database: 'mysql',
      docker: false,
      cef: true,
      port: 9000,
      yes: true,
      packageManager: 'pnpm',
    });
  });

  it.each([
    [['--colour'], /unknown flag --colour/],
    [['--auth', 'ntlm'], /--auth must be one of none, memory, sql, ldap/],
    [['--port', 'eighty'], /--port must be a whole number/],
    [['--port', '70000'], /--port must be from 1 to 65535/],
    [['--name'], /--name needs a value/],
    [['--no-yes'], /unknown flag --no-yes/],
    [['-q'], /unknown flag -q/],
  ])('refuses %j naming the flag', (argv, message) => {
    expect(() => parseCommandLine(argv, appFlags)).toThrow(message);
    expect(() => parseCommandLine(argv, appFlags)).toThrow(
      expect.objectContaining({ code: 'GEN_ERR_USAGE' }),
    );
  });
});
