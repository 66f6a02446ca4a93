import { expect, test } from "vitest";
import { openRequest, openRequestAsNewPerformer, usePortalSuite } from "../support/portal-browser.ts";

// Withdrawn content stays blocked until the performer who withdrew allows it again: in Chromium,
// with a platform authenticator, from the withdrawn consent's page.

const { browser, server, platform, publicationStatus, reviewServer } = usePortalSuite("Birch Media");

test("a performer withdraws, the platform cannot ask again, the performer allows it again with a passkey", async () => {
  const publication = await platform().publish({ slots: [{ role: "uploader" }] });
  const { page, errors } = await browser().newPage();
  await openRequestAsNewPerformer(page, server(), publication.invitations[0]!.url);
  await page.click("#sign");
  await page.waitForURL(/\/portal\/consents\/[0-9a-f-]{36}$/);
  const consentId = new URL(page.url()).pathname.split("/").at(-1)!;
  await page.click(`a[href="/portal/consents/${consentId}/revoke"]`);
  expect(await page.textContent("main ol")).toContain("unless you allow it again later");
  await page.click("#revoke");
  await page.waitForURL(`${server().url}/portal/consents/${consentId}`);
  await page.waitForSelector('[data-block="blocked"]');

  const again = {
    contentFingerprints: publication.contentFingerprints,
    reviewItems: reviewServer().reviewItemsOf(publication.contentFingerprints),
    slots: [{ role: "uploader" as const }],
  };
  const refused = await platform().request("POST", "/v1/publications", { ...requestFor(publication), ...again });
  expect(refused).toMatchObject({ status: 409, body: { code: "content_withdrawn" } });

  await page.click(`a[href="/portal/consents/${consentId}/allow"]`);
  expect(await page.textContent("h1")).toBe("Allow this content again");
  expect(await page.textContent("main ol")).toContain("Your withdrawal stays.");
  await browser().screenshot(page, "portal-allow-again");
  await page.click("#allow");
  await page.waitForURL(`${server().url}/portal/consents/${consentId}`);
  expect(await page.textContent('[data-block="lifted"]')).toContain("You allowed this content again on");

  const created = await platform().request<{ id: string; invitations: Array<{ url: string }> }>(
    "POST",
    "/v1/publications",
    { ...requestFor(publication), ...again },
  );
  expect(created.status).toBe(201);
  await openRequest(page, created.body.invitations[0]!.url);
  await page.click("#sign");
  await page.waitForURL(/\/portal\/consents\/[0-9a-f-]{36}$/);
  expect(await publicationStatus(created.body.id)).toBe("cleared");
  const check = await platform().request("POST", "/v1/check", { fingerprint: publication.contentFingerprints[0] });
  expect(check.body).toMatchObject({ allowed: true, publicationId: created.body.id });
  expect(errors).toEqual([]);
});

/** A new request for the same content (produced on the same day) under a new externalId. */
const requestFor = (p: { title: string; scope: unknown; producedAt: string | null }) => ({
  externalId: `again-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
  title: p.title,
  scope: p.scope,
  producedAt: p.producedAt,
});
