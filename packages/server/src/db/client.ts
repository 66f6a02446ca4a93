import { PrismaPg } from "@prisma/adapter-pg";
import { withAfterCommit } from "./after-commit.ts";
import { PrismaClient, type Prisma } from "./generated/client.ts";

export type Db = PrismaClient;
/** The client handed to a `$transaction` callback; domain functions that write take one. */
export type Tx = Prisma.TransactionClient;

const QUERY_TIMEOUT_MS = 10_000;

export function createDb(url: string, poolSize: number): Db {
  const client = new PrismaClient({
    adapter: new PrismaPg({
      connectionString: url,
      max: poolSize,
      connectionTimeoutMillis: 5_000,
      // An established connection whose peer went silent (a network partition) would otherwise
      // hold its request until TCP gives up, minutes later; the caller gets a 503 instead.
      query_timeout: QUERY_TIMEOUT_MS,
    }),
    transactionOptions: { maxWait: 10_000, timeout: 15_000 },
  });
  return withAfterCommit(client);
}
