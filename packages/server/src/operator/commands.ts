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
type Commands = typeof operatorCommands;
/** The arguments a command takes, before its schema parses them. */
export type OperatorArgs<N extends OperatorCommandName> = z.input<Commands[N]["args"]>;
/**
 * What a command returns. Results cross the operator socket as JSON, so they hold strings, numbers
 * and booleans only (dates as ISO strings): the same value arrives on either path.
 */
export type OperatorResult<N extends OperatorCommandName> = Awaited<ReturnType<Commands[N]["run"]>>;

/** The table seen through one mapped type, so that a command's schema, run and result correlate. */
const commands: {
  [N in OperatorCommandName]: {
    args: z.ZodType<z.output<Commands[N]["args"]>, OperatorArgs<N>>;
    run: (ctx: OperatorContext, args: z.output<Commands[N]["args"]>) => Promise<OperatorResult<N>>;
  };
} = operatorCommands;

export async function runOperatorCommand<N extends OperatorCommandName>(
  ctx: OperatorContext,
  name: N,
  args: OperatorArgs<N>,
): Promise<OperatorResult<N>> {
  return run(ctx, name, args);
}

/** A command that came from outside (the operator socket): its name is checked, its args parsed. */
export async function runReceivedOperatorCommand(ctx: OperatorContext, name: string, args: unknown): Promise<unknown> {
  if (!isCommandName(name)) throw new Error(`unknown operator command ${name}`);
  return run(ctx, name, args);
}

const isCommandName = (name: string): name is OperatorCommandName => Object.hasOwn(commands, name);

async function run<N extends OperatorCommandName>(
  ctx: OperatorContext,
  name: N,
  rawArgs: unknown,
): Promise<OperatorResult<N>> {
  const command = commands[name];
  return command.run(ctx, command.args.parse(rawArgs));
}
