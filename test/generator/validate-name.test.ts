import { describe, expect, it } from 'vitest';
import { nameProblems, parseProjectName } from '../../generators/lib/validate-name.js';

describe('parseProjectName', () => {
  it.each(['my-svc', 'billing', 'a1', 'svc.v2', 'under_score'])('accepts %s', (name) => {
    expect(nameProblems(name)).toEqual([]);
    expect(parseProjectName(name).bare).toBe(name);
  });

  it('accepts a scoped name and strips the scope for the folder', () => {
    expect(parseProjectName('@org/my-svc')).toEqual({
      full: '@org/my-svc',
      bare: 'my-svc',
      scope: 'org',
    });
  });

  it.each([
    '',
    '.',
    '..',
    '../x',
    'a/../../x',
    '/abs',
    'C:\\x',
    'My Svc',
    'x\0',
    'ñame',
    'a'.repeat(215),
    'node_modules',
    'http',
    'con',
    'aux',
    'nul',
    'nul.txt',
    'com1',
    'lpt1',
    'CON',
    '@../x',
    '@./x',
    '@org/con',
    '.hidden',
    '-dash',
    'Upper',
    'a\nb',
  ])('refuses %j with GEN_ERR_INVALID_NAME', (name) => {
    expect(() => parseProjectName(name)).toThrow(
      expect.objectContaining({ code: 'GEN_ERR_INVALID_NAME' }),
    );
  });

  it('names the answer and the reason in the message', () => {
    expect(() => parseProjectName('aux', 'name (--name)')).toThrow(
      /name \(--name\) "aux".*device name on Windows/,
    );
  });
});
