// The baseline server (bench/lib/bare.ts) in a process of its own, so that it neither shares an
// event loop with the server under test nor counts in its memory. Prints one JSON line when ready.
import { startBareServer } from "../lib/bare.ts";

const bare = await startBareServer();
console.log(JSON.stringify({ url: bare.url }));

process.once("SIGTERM", async () => {
  await bare.close();
  process.exit(0);
});
