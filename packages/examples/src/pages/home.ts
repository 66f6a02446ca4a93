import { html } from "../html.ts";
import type { Upload } from "../store.ts";
import type { FormErrors, UploadForm } from "../uploads/form.ts";
import { layout, localTime } from "./layout.ts";

const error = (message: string | undefined) => message && html`<span class="error">${message}</span>`;

function size(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/** The upload form and the uploads so far. */
export function homePage(options: {
  uploads: Upload[];
  form: UploadForm;
  errors?: FormErrors;
  maxUploadBytes: number;
}): string {
  const { form, errors = {} } = options;
  return layout(
    "Upload",
    html`<p>Uploads are published only once every person in them has verified their age and consented.
Each person gets an invitation from Vergewis; until all have signed, the upload stays private.</p>
<form method="post" action="/uploads" enctype="multipart/form-data">
<label>File <span class="hint">(at most ${size(options.maxUploadBytes)})</span>${error(errors.file)}
<input type="file" name="file" required></label>
<label>Title ${error(errors.title)}<input type="text" name="title" maxlength="300" required value="${form.title}"></label>
<label class="inline"><input type="checkbox" name="uploaderDepicted" value="yes"${form.uploaderDepicted === "yes" ? html` checked` : ""}> I appear in it</label>
<label>Everyone else who appears <span class="hint">(one e-mail address per line; Vergewis mails each their own invitation)</span>
${error(errors.coPerformers)}<textarea name="coPerformers" rows="3">${form.coPerformers}</textarea></label>
<label>Countries where it may be shown <span class="hint">(ISO codes, e.g. NL BE DE)</span>${error(errors.territories)}
<input type="text" name="territories" value="${form.territories}"></label>
<label>Made on <span class="hint">(everyone in it must have been 18 or older that day)</span>${error(errors.producedAt)}
<input type="date" name="producedAt" required value="${form.producedAt}"></label>
<button type="submit">Upload and ask for consent</button>
</form>
<h2>Uploads</h2>
${
  options.uploads.length === 0
    ? html`<p>None yet.</p>`
    : html`<table><thead><tr><th>Title</th><th>Size</th><th>Uploaded</th></tr></thead><tbody>
${options.uploads.map((u) => html`<tr><td><a href="/uploads/${u.id}">${u.title}</a></td><td>${size(u.bytes)}</td><td>${localTime(u.createdAt)}</td></tr>`)}
</tbody></table>`
}`,
  );
}
