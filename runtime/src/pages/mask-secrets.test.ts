import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskSecrets, maskUriUserInfo } from './mask-secrets.js';

// characters a password may hold inside a URI's user info without ending it
const userInfoChar = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&()*+,;=%:@'.split(''),
);
const secret = fc
  .string({ unit: userInfoChar, minLength: 6, maxLength: 30 })
  .map((text) => `S${text}Z`);
const secretKey = fc
  .tuple(
    fc.constantFrom('password', 'passwd', 'secret', 'key', 'token', 'credential', 'salt', 'pwd'),
    fc.stringMatching(/^[a-z_]{0,6}$/),
    fc.stringMatching(/^[a-z_]{0,6}$/),
    fc.boolean(),
  )
  .map(([word, before, after, upper]) => `${before}${upper ? word.toUpperCase() : word}${after}`);
const scheme = fc.stringMatching(/^[a-z][a-z0-9+.-]{0,8}$/);

describe('maskSecrets', () => {
  it('masks the legacy vectors and every scheme', () => {
    expect(
      maskSecrets({
        'auth.sqluri': 'pymysql://sync:secret@db/sync',
        'auth.password': 'secret',
        'captcha.private_key': 'x',
        'db.url': 'mysql://u:p@h/db',
        'plain.url': 'http://example.org/a@b',
      }),
    ).toEqual({
      'auth.sqluri': 'pymysql://****:****@db/sync',
      'auth.password': '********',
      'captcha.private_key': '********',
      'db.url': 'mysql://****:****@h/db',
      'plain.url': 'http://example.org/a@b',
    });
  });

  it('masks inside lists, nested objects and text around URIs', () => {
    expect(
      maskSecrets({
        list: ['see postgres://svc:hunter2@db/x and ldap://a:b@c'],
        nested: { Api_Token: [1] },
      }),
    ).toEqual({
      list: ['see postgres://****:****@db/x and ldap://****:****@c'],
      nested: { Api_Token: '********' },
    });
  });

  it('masks a password that holds an @', () => {
    expect(maskUriUserInfo('mysql://u:p@ss@db/x')).toBe('mysql://****:****@db/x');
  });

  it('never lets a secret under a secret key through', () => {
    fc.assert(
      fc.property(secretKey, secret, fc.boolean(), (key, value, inList) => {
        const output = JSON.stringify(
          maskSecrets({ section: { [key]: inList ? [value] : value }, other: 'x' }),
        );
        expect(output).not.toContain(value);
      }),
    );
  });

  it('never lets a secret in a URI user info through', () => {
    fc.assert(
      fc.property(
        scheme,
        secret,
        fc.stringMatching(/^[a-z]{0,8}$/),
        fc.boolean(),
        (name, value, user, inList) => {
          const uri = `${name}://${user}:${value}@db.example/path`;
          const output = JSON.stringify(
            maskSecrets({ 'section.uri': inList ? ['before', `x ${uri} y`] : uri }),
          );
          expect(output).not.toContain(value);
          expect(output).toContain(`${name}://****:****@db.example/path`);
        },
      ),
    );
  });
});
