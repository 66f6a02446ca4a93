import { auditLog } from "../audit/append.ts";
import type { Db } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { issueApiKey } from "./api-key.ts";

export interface CreatedPlatform {
  id: string;
  name: string;
  slaSeconds: number;
  /** The first API key: shown once, never stored. */
  apiKey: string;
}

/** Registers a platform with its first API key (operator action, recorded in the audit log). */
export async function createPlatform(
  db: Db,
  args: { name: string; slaMinutes?: number | undefined },
): Promise<CreatedPlatform> {
  return runTransaction(db, async (tx, effects) => {
    const platform = await tx.platform.create({
      data: { name: args.name, ...(args.slaMinutes !== undefined && { slaSeconds: args.slaMinutes * 60 }) },
    });
    const key = await issueApiKey(tx, platform.id);
    effects.write(auditLog, {
      type: "platform.created",
      platformId: platform.id,
      data: { slaSeconds: platform.slaSeconds, apiKeyPrefix: key.prefix },
    });
    return { id: platform.id, name: platform.name, slaSeconds: platform.slaSeconds, apiKey: key.key };
  });
}
