import { PrismaPg } from "@prisma/adapter-pg";
import { withAfterCommit } from "./after-commit.ts";
import { PrismaClient, type Prisma } from "./generated/client.ts";

export type Db = PrismaClient;
/** The client handed to a `$transaction` callback; domain functions that write take one. */
export type Tx = Prisma.TransactionClient;

export function createDb(url: string, poolSize: number): Db {
  const client = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: poolSize, connectionTimeoutMillis: 5_000 }),
    transactionOptions: { maxWait: 10_000, timeout: 15_000 },
  });
  return withAfterCommit(client);
}
