import type { CreatedPublication, PublicationRequest } from "@vergewis/sdk";
import { coPerformerAddress } from "./fixtures.ts";
import type { TestPerformer } from "./performer.ts";
import type { TestPlatform } from "./platform.ts";
import { freshIdentity, newPerformer } from "./portal.ts";
import type { TestServer } from "./server.ts";

export interface Consented {
  publication: CreatedPublication;
  performers: TestPerformer[];
  consentIds: string[];
  receipts: string[];
}

/**
 * A publication with `slots` depicted persons of whom the first `signed` have consented (all of
 * them by default, so that it is cleared): the whole flow over HTTP, each co-performer's invitation
 * read from their mail.
 */
export async function consentedPublication(
  server: TestServer,
  platform: TestPlatform,
  options: { slots?: number; signed?: number; request?: Partial<PublicationRequest> } = {},
): Promise<Consented> {
  const slots = options.slots ?? 1;
  const signed = options.signed ?? slots;
  const publication = await platform.publish({
    ...options.request,
    slots: Array.from({ length: slots }, (_, i) =>
      i === 0 ? { role: "uploader" as const } : { role: "co-performer" as const, contact: coPerformerAddress() },
    ),
    ...options.request,
  });
  const performers: TestPerformer[] = [];
  const consentIds: string[] = [];
  const receipts: string[] = [];
  for (let i = 0; i < signed; i++) {
    const performer = await newPerformer(server).onboard(freshIdentity("adult"));
    const claim = await performer.acceptInvitation(publication.invitations[i]!.url);
    if (claim.status !== 200) throw new Error(`claim failed: ${JSON.stringify(claim.body)}`);
    const res = await performer.consent(publication.slots[i]!.id);
    if (res.status !== 201) throw new Error(`consent failed: ${JSON.stringify(res.body)}`);
    performers.push(performer);
    consentIds.push(res.body.consentId);
    receipts.push(res.body.receipt);
  }
  return { publication, performers, consentIds, receipts };
}
