import { generateKeyPairSync } from "node:crypto";
import { exportJWK, SignJWT } from "jose";
import { describe, expect, test } from "vitest";
import { RECEIPT_TYPE, STATUS_LIST_TYPE } from "../schemas/receipt.ts";
import { StatusListError } from "./errors.ts";
import { isRevoked, StatusListCache } from "./status-list.ts";

const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const ISSUER = "https://vergewis.example";
const URI = `${ISSUER}/v1/status-lists/1`;

// draft-ietf-oauth-status-list §4.1 example: 16 one-bit statuses 1,0,0,1,1,1,0,1,1,1,0,0,0,1,0,1.
const EXAMPLE_LST = "eNrbuRgAAhcBXQ";

async function fixture() {
  const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "k", alg: "ES256" }] };
  const list = await new SignJWT({ status_list: { bits: 1, lst: EXAMPLE_LST }, ttl: 300 })
    .setProtectedHeader({ alg: "ES256", kid: "k", typ: STATUS_LIST_TYPE })
    .setSubject(URI)
    .setIssuedAt()
    .sign(privateKey);
  const receipt = (idx: number, uri = URI) =>
    new SignJWT({
      sub: "prf_AAAAAAAAAAAAAAAAAAAAAA",
      aud: "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e5f",
      jti: "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e60",
      publicationId: "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e61",
      slotId: "01936f6e-3a5b-7c4d-8e9f-0a1b2c3d4e62",
      documentHash: "n4bQgYhMfWWaL-qgxVrQFaO_TxsrC4Is0V1sFbDwCgg",
      contentFingerprints: [{ alg: "sha-256", value: "ab".repeat(32) }],
      scope: { purposes: ["publish"], territories: ["NL"], validUntil: "2033-05-18T03:33:20.000Z" },
      auditIndex: 1,
      status: { status_list: { idx, uri } },
    })
      .setProtectedHeader({ alg: "ES256", kid: "k", typ: RECEIPT_TYPE })
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime("1y")
      .sign(privateKey);
  let requests = 0;
  const fetch: typeof globalThis.fetch = async (input) => {
    requests++;
    expect(String(input)).toBe(URI);
    return new Response(list, { headers: { "content-type": `application/${STATUS_LIST_TYPE}` } });
  };
  return { jwks, receipt, fetch, requests: () => requests };
}

describe("isRevoked", () => {
  test("reads each entry of the draft's example list, fetching it once", async () => {
    const { jwks, receipt, fetch, requests } = await fixture();
    const cache = new StatusListCache();
    const statuses = [];
    for (let idx = 0; idx < 16; idx++)
      statuses.push((await isRevoked(await receipt(idx), { jwks, fetch, cache })) ? 1 : 0);
    expect(statuses).toEqual([1, 0, 0, 1, 1, 1, 0, 1, 1, 1, 0, 0, 0, 1, 0, 1]);
    expect(requests()).toBe(1);
  });

  test("an index beyond the list, or a list served elsewhere, is an error", async () => {
    const { jwks, receipt, fetch } = await fixture();
    await expect(isRevoked(await receipt(16), { jwks, fetch, cache: new StatusListCache() })).rejects.toMatchObject({
      code: "status_unavailable",
    });
    await expect(
      isRevoked(await receipt(0, "https://elsewhere.example/list"), { jwks, fetch, cache: new StatusListCache() }),
    ).rejects.toBeInstanceOf(StatusListError);
  });
});
