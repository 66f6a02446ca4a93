import { freeTextSchema } from "@vergewis/sdk";
import { z } from "zod";
import { issueAuditorToken, revokeAuditorToken } from "../audit/auditor-token.ts";
import type { ServerContext } from "../context.ts";
import { exportSealedIdentity } from "../identity/sealed-record.ts";
import type { KeyStore } from "../keys/store.ts";
import { configurePlatform } from "../platform/configure.ts";
import { createPlatform } from "../platform/create.ts";
import { createFlagger, listFlaggers, revokeFlagger } from "../report/flagger.ts";
import { createKeyStore, KEY_PURPOSES, type KeyPurposeName } from "../keys/purposes.ts";

/** What an operator command may use: the database and configuration, and the running server's keys. */
export type OperatorContext = Pick<ServerContext, "db" | "config"> & { keys?: KeyStore };

/**
 * Operator commands: what `vergewis <noun> <verb>` does. They run against the database directly,
 * or, when a running server holds the embedded database, inside that server (operator/channel.ts).
 */
export const operatorCommands = {
  "platform.create": {
    args: z.strictObject({
      name: freeTextSchema(1, 200),
      slaMinutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60)
        .optional(),
    }),
    run: (ctx: OperatorContext, args: { name: string; slaMinutes?: number | undefined }) =>
      createPlatform(ctx.db, args),
  },
  "keys.rotate": {
    args: z.strictObject({ purpose: z.enum(KEY_PURPOSES).default("receipt") }),
    run: async (ctx: OperatorContext, args: { purpose: KeyPurposeName }) => {
      let keys = ctx.keys;
      if (!keys) {
        keys = createKeyStore(ctx.config, ctx.db);
        await keys.init();
      }
      return keys.rotate(args.purpose);
    },
  },
  "identity.sealed": {
    args: z.union([
      z.strictObject({ attestationId: z.uuid() }),
      z.strictObject({ performer: z.string().min(1).max(64) }),
    ]),
    run: (ctx: OperatorContext, args: { attestationId: string } | { performer: string }) =>
      exportSealedIdentity(ctx.db, args),
  },
  "auditor.create": {
    args: z.strictObject({
      /** null: every platform (a regulator). */
      platformId: z.uuid().nullable(),
      label: freeTextSchema(1, 200).optional(),
    }),
    run: (ctx: OperatorContext, args: { platformId: string | null; label?: string | undefined }) =>
      issueAuditorToken(ctx.db, args),
  },
  "auditor.revoke": {
    args: z.strictObject({
      prefix: z.string().regex(/^vgw_audit_[A-Za-z0-9_-]{8}$/, "must be a token prefix: vgw_audit_ and 8 characters"),
    }),
    run: (ctx: OperatorContext, args: { prefix: string }) => revokeAuditorToken(ctx.db, args.prefix),
  },
  "platform.configure": {
    args: z.strictObject({
      id: z.uuid(),
      slaMinutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60)
        .optional(),
      contentUrlTemplate: z.string().max(2048).nullable().optional(),
    }),
    run: (
      ctx: OperatorContext,
      args: { id: string; slaMinutes?: number | undefined; contentUrlTemplate?: string | null | undefined },
    ) => configurePlatform(ctx.db, args),
  },
  "flagger.create": {
    args: z.strictObject({ name: freeTextSchema(1, 200) }),
    run: (ctx: OperatorContext, args: { name: string }) => createFlagger(ctx.db, args),
  },
  "flagger.revoke": {
    args: z.strictObject({ id: z.uuid() }),
    run: (ctx: OperatorContext, args: { id: string }) => revokeFlagger(ctx.db, args),
  },
  "flagger.list": {
    args: z.strictObject({}),
    run: (ctx: OperatorContext) => listFlaggers(ctx.db),
  },
} as const;

export type OperatorCommandName = keyof typeof operatorCommands;

export async function runOperatorCommand(ctx: OperatorContext, name: string, rawArgs: unknown): Promise<unknown> {
  if (!Object.hasOwn(operatorCommands, name)) throw new Error(`unknown operator command ${name}`);
  const command = operatorCommands[name as OperatorCommandName];
  return (command.run as (ctx: OperatorContext, args: unknown) => Promise<unknown>)(ctx, command.args.parse(rawArgs));
}
