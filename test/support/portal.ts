import type { ConfigInput } from "../../packages/server/src/config/schema.ts";
import { startTestServer, type TestServer } from "./server.ts";
import { TestPerformer } from "./performer.ts";

/** The portal as a browser must reach it: `localhost`, since WebAuthn refuses IP addresses as RP ids. */
export const portalUrl = (server: TestServer) => server.url;

export const newPerformer = (server: TestServer) => new TestPerformer(portalUrl(server));

let counter = 0;
/** A fresh identity with the profile of `base` (`adult+…` is another adult person). */
export const freshIdentity = (base = "adult") => `${base}+${process.pid}-${Date.now().toString(36)}-${++counter}`;

/** Every row of every table as text: for proving what is (not) stored. */
export async function dumpDatabase(server: TestServer): Promise<string> {
  const tables = await server.ctx.db.$queryRaw<Array<{ table_name: string }>>`
    SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`;
  const parts: string[] = [];
  for (const { table_name } of tables) {
    const rows = await server.ctx.db.$queryRawUnsafe<Array<{ row: string }>>(
      `SELECT row_to_json(t)::text AS row FROM "${table_name.replaceAll('"', "")}" t`,
    );
    parts.push(...rows.map((r) => r.row));
  }
  return parts.join("\n");
}

/** A test server whose rate limits do not get in the way of many logins from 127.0.0.1. */
export const startPortalServer = (config: ConfigInput = {}) =>
  startTestServer({ rateLimits: { login: 10_000, invitations: 10_000, verification: 10_000 }, ...config });
