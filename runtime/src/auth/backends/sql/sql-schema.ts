import { sql, type Generated, type Kysely } from 'kysely';
import type { SqlTarget } from './sql-uri.js';

/** The columns of the users table. */
export interface UsersTable {
  id: Generated<number>;
  username: string;
  password: string | null;
  account_status: Generated<number>;
  mail: string | null;
  created_at: Generated<Date | string>;
}

/** Any table name maps to the users table: the name comes from `[auth] table`. */
export type UsersDatabase = Record<string, UsersTable>;

/**
 * Creates the users table when it does not exist. The schema (or MySQL database) must exist.
 * On MySQL the user name column compares byte for byte (`utf8mb4_bin`), as it does on the other
 * two, instead of the server's case-insensitive default.
 */
export async function createUsersTable(
  db: Kysely<UsersDatabase>,
  dialect: SqlTarget['dialect'],
  table: string,
): Promise<void> {
  const usernameType =
    dialect === 'mysql'
      ? sql`varchar(255) character set utf8mb4 collate utf8mb4_bin`
      : sql`varchar(255)`;
  let builder = db.schema.createTable(table).ifNotExists();
  builder =
    dialect === 'postgres'
      ? builder.addColumn('id', 'serial', (column) => column.primaryKey())
      : builder.addColumn('id', 'integer', (column) => column.primaryKey().autoIncrement());
  await builder
    .addColumn('username', usernameType, (column) => column.notNull().unique())
    .addColumn('password', 'varchar(255)')
    .addColumn('account_status', 'integer', (column) => column.notNull().defaultTo(1))
    .addColumn('mail', 'varchar(255)')
    .addColumn('created_at', 'timestamp', (column) =>
      column.notNull().defaultTo(sql`CURRENT_TIMESTAMP`),
    )
    .execute();
}
