// The SQL servers of the development machine (docs/backends.md, "Running their tests"), and the
// clean-up of the tables the suites create there. Each suite uses its own table name with a
// random suffix and drops it afterwards; nothing else on those servers is touched.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

export interface SqlServer {
  name: 'postgresql' | 'mariadb';
  port: number;
  /** The sqluri for a server reached on `port` (the real one, or a relay in front of it). */
  uri(port: number): string;
  dropTable(table: string): Promise<void>;
}

export const sqlServers: SqlServer[] = [
  {
    name: 'postgresql',
    port: 5432,
    uri: (port) => `postgresql://postgres@127.0.0.1:${port}/test`,
    dropTable: async (table) => {
      const client = new pg.Client({
        host: '127.0.0.1',
        port: 5432,
        user: 'postgres',
        database: 'test',
      });
      await client.connect();
      try {
        await client.query(`drop table if exists "${table}"`);
      } finally {
        await client.end();
      }
    },
  },
  {
    name: 'mariadb',
    port: 3306,
    uri: (port) => `mysql://root@127.0.0.1:${port}/test`,
    dropTable: async (table) => {
      const connection = await mysql.createConnection({
        host: '127.0.0.1',
        port: 3306,
        user: 'root',
        database: 'test',
      });
      try {
        await connection.query(`drop table if exists \`${table}\``);
      } finally {
        await connection.end();
      }
    },
  },
];

/** A table name of this suite's own: letters, digits and `_` only. */
export function tableName(prefix: string): string {
  return `${prefix}_${randomBytes(4).toString('hex')}`;
}
