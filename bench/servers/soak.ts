// Prepares the database of the server under soak (prepare.ts): registers the platform the traffic
// comes from and a second one (whose reads of the first's publications must answer 404), and
// issues an auditor token for the first.
import { issueAuditorToken } from "../../packages/server/src/audit/auditor-token.ts";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import { prepareDatabase } from "./prepare.ts";

await prepareDatabase(async (db) => {
  const platform = await createPlatform(db, { name: "Soak platform" });
  const other = await createPlatform(db, { name: "Other platform" });
  const { token } = await issueAuditorToken(db, { platformId: platform.id });
  return { platformId: platform.id, apiKey: platform.apiKey, otherApiKey: other.apiKey, auditorToken: token };
});
