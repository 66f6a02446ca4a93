import { Vergewis } from "@vergewis/sdk";

const vergewis = new Vergewis({ apiKey: process.env.VERGEWIS_API_KEY!, baseUrl: process.env.VERGEWIS_URL! });

// One page, newest first; `nextCursor` fetches the next.
const page = await vergewis.publications.list({ status: "pending", limit: 10 });
console.log(`${page.items.length} pending on the first page, more: ${page.nextCursor !== null}`);

// Every match, page by page as the loop asks for them.
for await (const publication of vergewis.publications.iterate({ status: "pending" })) {
  const open = publication.slots.filter((slot) => slot.status === "open").length;
  console.log(`${publication.externalId}: ${open} of ${publication.slots.length} consents outstanding`);
}

// One publication by its id.
const [latest] = page.items;
if (latest) console.log((await vergewis.publications.get(latest.id)).status);
