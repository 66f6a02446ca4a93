import { z } from "zod";
import type { ServerContext } from "../context.ts";
import { createPlatform } from "../platform/create.ts";

/**
 * Operator commands: what `vergewis <noun> <verb>` does. They run against the database directly,
 * or, when a running server holds the embedded database, inside that server (operator/channel.ts).
 */
export const operatorCommands = {
  "platform.create": {
    args: z.strictObject({
      name: z.string().trim().min(1).max(200),
      slaMinutes: z
        .number()
        .int()
        .min(1)
        .max(7 * 24 * 60)
        .optional(),
    }),
    run: (ctx: Pick<ServerContext, "db">, args: { name: string; slaMinutes?: number | undefined }) =>
      createPlatform(ctx.db, args),
  },
} as const;

export type OperatorCommandName = keyof typeof operatorCommands;

export async function runOperatorCommand(
  ctx: Pick<ServerContext, "db">,
  name: string,
  rawArgs: unknown,
): Promise<unknown> {
  if (!Object.hasOwn(operatorCommands, name)) throw new Error(`unknown operator command ${name}`);
  const command = operatorCommands[name as OperatorCommandName];
  return command.run(ctx, command.args.parse(rawArgs));
}
