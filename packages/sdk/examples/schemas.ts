import { canonicalJson, PURPOSES, publicationRequestSchema } from "@vergewis/sdk";

// The server's own schemas: check a request where it is made (a form, a queue) before sending it.
const parsed = publicationRequestSchema.safeParse({
  externalId: "upload 1",
  title: "Scene 5",
  contentFingerprints: [{ alg: "sha-256", value: "not-hex" }],
  slots: [{ role: "uploader" }],
  scope: { purposes: ["publish"], territories: ["XX"], validUntil: "2020-01-01T00:00:00Z" },
  producedAt: "2099-01-01",
});
if (!parsed.success) {
  for (const issue of parsed.error.issues) console.log(`${issue.path.join(".")}: ${issue.message}`);
}
console.log(`purposes: ${PURPOSES.join(", ")}`);

// RFC 8785 canonical JSON: the bytes that consent documents are hashed and signed as.
console.log(canonicalJson({ b: 2, a: [1, "x"] }));
