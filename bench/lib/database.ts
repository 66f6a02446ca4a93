import pg from "pg";
import { migrate } from "../../packages/server/src/db/migrate/migrate.ts";

/** A new, migrated database `name` in the cluster of `adminUrl`; returns its URL. */
export async function migratedDatabase(adminUrl: string, name: string): Promise<string> {
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return url.toString();
}
