import pg from "pg";
import type { TestProject } from "vitest/node";
import { migrate } from "../../packages/server/src/db/migrate/migrate.ts";
import { startPostgresCluster } from "./postgres-cluster.ts";

export const TEMPLATE_DB = "vergewis_template";

/** One PostgreSQL cluster per run, with a migrated template that each test file copies. */
export default async function setup(project: TestProject) {
  const cluster = await startPostgresCluster();
  const admin = new pg.Client(cluster.adminUrl);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  await admin.end();
  const templateUrl = new URL(cluster.adminUrl);
  templateUrl.pathname = `/${TEMPLATE_DB}`;
  await migrate(templateUrl.toString());
  project.provide("postgresAdminUrl", cluster.adminUrl);
  return () => cluster.stop();
}
