import { isRevoked, Vergewis, verifyConsentReceipt, VerificationError } from "@vergewis/sdk";

const baseUrl = process.env.VERGEWIS_URL!;
const vergewis = new Vergewis({ apiKey: process.env.VERGEWIS_API_KEY!, baseUrl });
const publicationId = process.argv[2]!;

// Fetch the key set once and keep it: from then on receipts verify without the server.
const jwks = await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json();

for (const consent of (await vergewis.publications.consents(publicationId)).items) {
  try {
    const receipt = await verifyConsentReceipt(consent.receipt, jwks, { issuer: baseUrl });
    // Withdrawals are public as well: an IETF Token Status List, cached for its ttl.
    const revoked = await isRevoked(receipt, { jwks });
    console.log(`${receipt.performer} ${revoked ? "revoked" : "consents"} until ${receipt.expiresAt.toISOString()}`);
  } catch (error) {
    if (!(error instanceof VerificationError)) throw error;
    console.log(`not a valid receipt: ${error.code}`);
  }
}
