import { fingerprintFile, Vergewis } from "@vergewis/sdk";

const vergewis = new Vergewis({
  apiKey: process.env.VERGEWIS_API_KEY!, // vgw_live_…, from `vergewis platform create`
  baseUrl: process.env.VERGEWIS_URL ?? "http://localhost:8080",
});

// 1. Fingerprint the upload. It is streamed: a 4 GB video needs a few hundred kB of memory.
const file = process.argv[2] ?? "scene-3.mp4";
const fingerprint = await fingerprintFile(file);

// 2. Ask every depicted person for consent: one slot each, the uploader included.
const uploadId = `upload-${fingerprint.value.slice(0, 12)}`; // your own id for the content
const publication = await vergewis.publications.create(
  {
    externalId: uploadId,
    title: "Summer shoot, scene 3",
    contentFingerprints: [fingerprint],
    // Where each performer's browser fetches the file to see it and check it before signing:
    // a short-lived https link of yours, readable by the Vergewis portal (CORS).
    reviewItems: [{ sha256: fingerprint.value, url: `https://platform.example/review/${uploadId}?exp=…&sig=…` }],
    slots: [{ role: "uploader" }, { role: "co-performer", contact: "co@example.com" }],
    scope: {
      purposes: ["publish"],
      territories: ["NL", "BE"],
      validUntil: `${new Date().getUTCFullYear() + 2}-01-01T00:00:00Z`,
    },
    producedAt: new Date().toISOString().slice(0, 10), // the day it was made: everyone in it was 18 or older then
  },
  // Safe to run again after a crash: the same request with the same key gets the first answer
  // (without the invitation, whose code is not kept: `publications.reissueInvitation` makes a new one).
  { idempotencyKey: uploadId },
);

// 3. Hand your logged-in uploader their invitation: a link, or a code to type in the portal.
//    Vergewis mails the co-performer theirs; you never see it.
for (const invitation of publication.invitations) {
  console.log(`your invitation: ${invitation.url} (code ${invitation.code})`);
}

// 4. Before showing the content: may we, now?
const { allowed, reason } = await vergewis.check(fingerprint);
console.log(allowed ? "publish" : `not yet: ${reason}`);
