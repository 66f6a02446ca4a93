import { randomBytes, randomUUID } from "node:crypto";
import { expect, test } from "vitest";
import { createPlatform } from "../../packages/server/src/platform/create.ts";
import { enqueueEvent } from "../../packages/server/src/webhook/outbox.ts";
import { claimDeliveries } from "../../packages/server/src/webhook/claim.ts";
import { createEndpoint } from "../../packages/server/src/webhook/endpoints.ts";
import { recordOutcome } from "../../packages/server/src/webhook/record.ts";
import { useTestDb } from "../support/database.ts";
import { runTransaction } from "../../packages/server/src/db/transaction.ts";

const testDb = useTestDb();
const retry = { initialDelay: 1_000, maxDelay: 10_000, window: 86_400_000 };

async function queuedDelivery() {
  const platform = await createPlatform(testDb.db, { name: "Claims" });
  await runTransaction(testDb.db, (tx, effects) =>
    createEndpoint(
      tx,
      effects,
      { serverSecret: randomBytes(32), allowLoopbackHttp: true, allowPrivateNetworks: true },
      platform.id,
      {
        url: "https://hooks.example.test/x",
      },
    ),
  );
  const eventId = await runTransaction(testDb.db, (tx, effects) =>
    enqueueEvent(tx, effects, {
      platformId: platform.id,
      type: "takedown.requested",
      payload: {
        takedownId: randomUUID(),
        publicationId: randomUUID(),
        externalId: "v1",
        reason: "revocation",
        requestedAt: new Date().toISOString(),
        dueAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    }),
  );
  return { platformId: platform.id, eventId };
}

const sent = (status: number) => ({ kind: "sent" as const, result: { status }, startedAt: new Date(), durationMs: 5 });

test("a claimed delivery is leased: not claimed again until the lease runs out, then with a new attempt", async () => {
  const { eventId } = await queuedDelivery();
  const now = new Date();
  const lease = new Date(now.getTime() + 60_000);
  const [first] = (await claimDeliveries(testDb.db, 100, now, lease)).filter((d) => d.eventId === eventId);
  expect(first).toMatchObject({ attempts: 1, status: "pending", eventType: "takedown.requested" });
  expect((await claimDeliveries(testDb.db, 100, now, lease)).some((d) => d.eventId === eventId)).toBe(false);

  // The first worker died: after its lease, the delivery is claimed again, as attempt 2.
  const later = new Date(lease.getTime() + 1);
  const [second] = (await claimDeliveries(testDb.db, 100, later, new Date(later.getTime() + 60_000))).filter(
    (d) => d.eventId === eventId,
  );
  expect(second).toMatchObject({ id: first!.id, attempts: 2 });

  // The dead worker's late result changes nothing; the live one's counts.
  expect(await recordOutcome(testDb.db, first!, sent(500), retry)).toBeUndefined();
  expect(await testDb.db.webhookDelivery.findUniqueOrThrow({ where: { id: first!.id } })).toMatchObject({
    status: "pending",
    attempts: 2,
  });
  expect(await recordOutcome(testDb.db, second!, sent(204), retry)).toBe("delivered");
  const row = await testDb.db.webhookDelivery.findUniqueOrThrow({ where: { id: first!.id } });
  expect(row).toMatchObject({ status: "delivered", attempts: 2, nextAttemptAt: null });
  // Both attempts are logged.
  expect(await testDb.db.webhookAttempt.count({ where: { deliveryId: first!.id } })).toBe(2);
});

test("a failed attempt schedules the next one within the backoff", async () => {
  const { eventId } = await queuedDelivery();
  const now = new Date();
  const [claimed] = (await claimDeliveries(testDb.db, 100, now, new Date(now.getTime() + 60_000))).filter(
    (d) => d.eventId === eventId,
  );
  expect(await recordOutcome(testDb.db, claimed!, sent(503), retry)).toBe("retrying");
  const row = await testDb.db.webhookDelivery.findUniqueOrThrow({ where: { id: claimed!.id } });
  const delay = row.nextAttemptAt!.getTime() - Date.now();
  expect(delay).toBeGreaterThan(0);
  expect(delay).toBeLessThanOrEqual(1_000);
  expect(row).toMatchObject({ status: "retrying", lastResponseStatus: 503, lastError: "HTTP 503" });
});
