import type { Publication } from "@vergewis/sdk";
import { html } from "../html.ts";
import type { Upload } from "../store.ts";
import { layout, localTime } from "./layout.ts";

const STATUS_TEXT: Record<Publication["status"], string> = {
  pending: "waiting for consent",
  cleared: "published: everyone consented",
  takedown_required: "taken down: consent was withdrawn",
  taken_down: "taken down",
  declined: "not published: someone declined",
  expired: "not published: expired",
};

/** Only http(s) links become clickable, whatever a server sends. */
const isWebLink = (url: string) => /^https?:\/\//i.test(url);

/**
 * The uploader's page for one upload: its consent status, live from Vergewis, and the
 * invitations to pass on. Its address is unguessable (a random UUID) and it is not cached.
 */
export function uploadPage(upload: Upload, publication: Publication | undefined): string {
  const slotStatus = new Map(publication?.slots.map((s) => [s.id, s.status]));
  return layout(
    upload.title,
    html`<p>Status: <span class="status">${publication ? STATUS_TEXT[publication.status] : "unknown right now (Vergewis cannot be reached)"}</span></p>
${upload.takenDownAt ? html`<p class="status">Removed here on ${localTime(upload.takenDownAt)}: the file was deleted and the public address answers 410 Gone.</p>` : ""}
<p>Public address: <a href="/media/${upload.id}">/media/${upload.id}</a> (shown only while everyone's consent holds)</p>
<h2>Invitations</h2>
<p>Send each person their own link or code. They verify their age and sign with a passkey; nobody else sees who they are.</p>
<table><thead><tr><th>Person</th><th>Sent to</th><th>Invitation</th><th>Status</th></tr></thead><tbody>
${upload.invitations.map(
  (
    invitation,
  ) => html`<tr><td>${invitation.position === 0 && publication?.slots[0]?.role === "uploader" ? "You" : `Person ${invitation.position + 1}`}</td>
<td data-contact>${invitation.contact ?? "—"}</td>
<td>${isWebLink(invitation.url) ? html`<a href="${invitation.url}">${invitation.url}</a>` : invitation.url}<br>code <code>${invitation.code}</code><br><span class="hint">valid until ${localTime(invitation.expiresAt)}</span></td>
<td>${slotStatus.get(invitation.slotId) ?? "unknown"}</td></tr>`,
)}
</tbody></table>
<h2>File</h2>
<p>${upload.fileName} (${upload.mediaType}, ${upload.bytes} bytes)<br>SHA-256 <code>${upload.sha256}</code></p>`,
  );
}
