// Prepares the database of the server under test (prepare.ts): registers a platform and clears a
// publication of it (its state set through the domain layer); the line names the platform's API
// key and the publication's fingerprint.
import { publicationRequestSchema } from "@vergewis/sdk";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import { createPublication } from "../../packages/server/src/publication/create.ts";
import { movePublication } from "../../packages/server/src/publication/state.ts";
import { resolveSecret } from "../../packages/server/src/runtime/secret.ts";
import { publicationRequest } from "../../test/support/fixtures.ts";
import { prepareDatabase } from "./prepare.ts";
import { runTransaction } from "../../packages/server/src/db/transaction.ts";

await prepareDatabase(async (db, config) => {
  const platform = await createPlatform(db, { name: "Bench" });
  const publication = await runTransaction(db, async (tx, effects) => {
    const created = await createPublication(
      tx,
      effects,
      {
        serverSecret: resolveSecret(config),
        publicUrl: "http://127.0.0.1",
        invitationTtlDays: 14,
        nearDuplicates: config.nearDuplicates,
        allowLoopbackHttp: true,
        mailLanguage: "en",
      },
      platform.id,
      publicationRequestSchema.parse(publicationRequest()),
    );
    await movePublication(tx, effects, created.id, "pending", "cleared");
    return created;
  });
  return { apiKey: platform.apiKey, fingerprint: publication.contentFingerprints[0] };
});
