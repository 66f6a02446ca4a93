import fs from "node:fs";
import path from "node:path";
import { z } from "zod";
import { runOperatorCommand, type RunningServer } from "@vergewis/server";

const credentialsSchema = z.object({
  platformId: z.uuid(),
  apiKey: z.string().min(1),
  auditorToken: z.string().min(1),
});

/** What the local system hands the example platform and the auditor. */
export type Credentials = z.output<typeof credentialsSchema>;

/**
 * The example platform's API key and an auditor token, created on the first start and kept in
 * `file` (mode 0600), since Vergewis stores only their hashes and shows them once. Reused on later
 * starts while the server still accepts them; created anew when it does not (a wiped database).
 */
export async function ensureCredentials(server: RunningServer, file: string): Promise<Credentials> {
  const saved = read(file);
  if (saved && (await accepted(server.url, saved))) return saved;
  const ctx = { db: server.ctx.db, config: server.ctx.config };
  const platform = await runOperatorCommand(ctx, "platform.create", { name: "Example platform", slaMinutes: 60 });
  const auditor = await runOperatorCommand(ctx, "auditor.create", {
    platformId: null,
    label: "npm start: local auditor console",
  });
  const created = { platformId: platform.id, apiKey: platform.apiKey, auditorToken: auditor.token };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, `${JSON.stringify(created, null, 2)}\n`, { mode: 0o600 });
  return created;
}

function read(file: string): Credentials | undefined {
  try {
    return credentialsSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  } catch {
    return undefined;
  }
}

/** Both still work: the platform API and the auditor API answer 200 to them. */
async function accepted(url: string, credentials: Credentials): Promise<boolean> {
  const [platform, auditor] = await Promise.all([
    fetch(`${url}/v1/takedowns?limit=1`, { headers: { authorization: `Bearer ${credentials.apiKey}` } }),
    fetch(`${url}/v1/audit/metrics`, { headers: { authorization: `Bearer ${credentials.auditorToken}` } }),
  ]);
  await Promise.all([platform.body?.cancel(), auditor.body?.cancel()]);
  return platform.ok && auditor.ok;
}
