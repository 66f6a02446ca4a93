import { auditLog } from "../audit/append.ts";
import type { Db } from "../db/client.ts";
import { runTransaction } from "../db/transaction.ts";
import { NotFoundError } from "../errors.ts";
import { checkContentUrlTemplate } from "../report/content-url.ts";

export interface PlatformSettings {
  id: string;
  name: string;
  slaSeconds: number;
  contentUrlTemplate: string | null;
}

/**
 * Changes a platform's takedown SLA and content URL template (operator action, in the audit log).
 * A new SLA applies to takedowns and reports from now on; open ones keep their deadline.
 */
export async function configurePlatform(
  db: Db,
  args: { id: string; slaMinutes?: number | undefined; contentUrlTemplate?: string | null | undefined },
): Promise<PlatformSettings> {
  const template = args.contentUrlTemplate ? checkContentUrlTemplate(args.contentUrlTemplate) : args.contentUrlTemplate;
  return runTransaction(db, async (tx, effects) => {
    const exists = await tx.platform.findUnique({ where: { id: args.id }, select: { id: true } });
    if (!exists) throw new NotFoundError("platform");
    const platform = await tx.platform.update({
      where: { id: args.id },
      data: {
        ...(args.slaMinutes !== undefined && { slaSeconds: args.slaMinutes * 60 }),
        ...(template !== undefined && { contentUrlTemplate: template }),
      },
      select: { id: true, name: true, slaSeconds: true, contentUrlTemplate: true },
    });
    effects.write(auditLog, {
      type: "platform.configured",
      platformId: platform.id,
      data: { slaSeconds: platform.slaSeconds, contentUrlTemplate: platform.contentUrlTemplate },
    });
    return platform;
  });
}
