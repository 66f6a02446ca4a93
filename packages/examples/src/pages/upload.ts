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
 * The page of one upload: its consent status, live from Vergewis, and, for the uploader alone
 * (`own`: the browser that uploaded it, session.ts), the invitations. It is not cached.
 */
export function uploadPage(upload: Upload, publication: Publication | undefined, own: boolean): string {
  return layout(
    upload.title,
    html`<p>Status: <span class="status">${publication ? STATUS_TEXT[publication.status] : "unknown right now (Vergewis cannot be reached)"}</span></p>
${upload.takenDownAt ? html`<p class="status">Removed here on ${localTime(upload.takenDownAt)}: the file was deleted and the public address answers 410 Gone.</p>` : ""}
<p>Public address: <a href="/media/${upload.id}">/media/${upload.id}</a> (shown only while everyone's consent holds)</p>
<h2>Invitations</h2>
${own ? invitationTable(upload, publication) : html`<p>Only the person who uploaded this sees its invitations.</p>`}
<h2>File</h2>
<p>${upload.fileName} (${upload.mediaType}, ${upload.bytes} bytes)<br>SHA-256 <code>${upload.sha256}</code></p>`,
  );
}

function invitationTable(upload: Upload, publication: Publication | undefined) {
  const slotStatus = new Map(publication?.slots.map((s) => [s.id, s.status]));
  return html`<p>Your own link is below. Vergewis mailed every other person their own invitation: this platform never sees it. They verify their age and sign with a passkey; nobody else sees who they are.</p>
<table><thead><tr><th>Person</th><th>Sent to</th><th>Invitation</th><th>Status</th></tr></thead><tbody>
${upload.invitations.map(
  (
    invitation,
  ) => html`<tr><td>${invitation.position === 0 && publication?.slots[0]?.role === "uploader" ? "You" : `Person ${invitation.position + 1}`}</td>
<td data-contact>${invitation.contact ?? "—"}</td>
<td>${invitation.url === undefined ? "mailed by Vergewis" : html`${isWebLink(invitation.url) ? html`<a href="${invitation.url}">${invitation.url}</a>` : invitation.url}<br>code <code>${invitation.code}</code>`}<br><span class="hint">valid until ${localTime(invitation.expiresAt)}</span></td>
<td>${slotStatus.get(invitation.slotId) ?? "unknown"}</td></tr>`,
)}
</tbody></table>`;
}
