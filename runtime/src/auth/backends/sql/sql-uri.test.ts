import { describe, expect, it } from 'vitest';
import { parseSqlUri, redactSqlUri } from './sql-uri.js';

describe('parseSqlUri', () => {
  it('reads the SQLite forms', () => {
    expect(parseSqlUri('sqlite:///var/lib/app/users.db', undefined)).toEqual({
      dialect: 'sqlite',
      filename: '/var/lib/app/users.db',
    });
    expect(parseSqlUri('sqlite::memory:', undefined)).toEqual({
      dialect: 'sqlite',
      filename: ':memory:',
    });
    expect(parseSqlUri('sqlite:data/users.db', '/srv/app/etc/app.ini')).toEqual({
      dialect: 'sqlite',
      filename: '/srv/app/etc/data/users.db',
    });
  });

  it('reads PostgreSQL and MySQL URIs', () => {
    expect(parseSqlUri('postgresql://app@db:5432/app', undefined)).toMatchObject({
      dialect: 'postgres',
    });
    expect(parseSqlUri('postgres://app@db/app', undefined)).toMatchObject({ dialect: 'postgres' });
    expect(parseSqlUri('mysql://app:pw@db:3306/app', undefined)).toEqual({
      dialect: 'mysql',
      uri: 'mysql://app:pw@db:3306/app',
    });
  });

  it('returns undefined for anything else', () => {
    for (const uri of ['', 'sqlite:', 'sqlite://', 'oracle://db/x', 'mysql:///x', 'users.db']) {
      expect(parseSqlUri(uri, undefined)).toBeUndefined();
    }
  });
});

describe('redactSqlUri', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactSqlUri('mysql://app:s3cr%40t@db:3306/app')).toBe('mysql://app:***@db:3306/app');
    expect(redactSqlUri('postgresql://app@db/app')).toBe('postgresql://app@db/app');
  });
});
