import { createGate, denialStatus, fingerprintFile, Vergewis } from "@vergewis/sdk";

const vergewis = new Vergewis({ apiKey: process.env.VERGEWIS_API_KEY!, baseUrl: process.env.VERGEWIS_URL! });

const gate = createGate({
  client: vergewis,
  failClosed: true, // the default: when Vergewis cannot be reached, show nothing
  cache: { maxAgeMs: 5_000 }, // a revoked item stays visible through this gate for at most 5 s
});

// Keep the fingerprint with the upload; here it is computed again.
const fingerprint = await fingerprintFile(process.argv[2] ?? "scene-3.mp4");
// The use: what for, and where the viewer is (ISO 3166-1 alpha-2, from your geolocation).
const decision = await gate({ fingerprint, purpose: "publish", territory: "NL" });
if (decision.allowed) console.log(`serve it (${decision.source})`);
else console.log(`refuse with HTTP ${denialStatus(decision)}: ${decision.reason}`);

// When a takedown.requested webhook arrives, do not wait for the cache to expire.
gate.forget({ fingerprint });
