// Report a picture without uploading it (the portal's /portal/report page). The chosen file is
// read in the browser only: SHA-256 by WebCrypto, PDQ by the SDK's browser build (the same code
// and the same hash as the server's Node build on the same pixels); then only the two hashes, the
// reason and the optional contact go to /portal/api/reports. No inline code: the CSP allows
// scripts from this origin only.
"use strict";

(() => {
  const dataElement = document.getElementById("report-data");
  if (!dataElement) return;
  const { csrfToken, messages } = JSON.parse(dataElement.textContent);
  const status = document.getElementById("report-status");
  const button = document.getElementById("report-submit");

  function show(nodes, kind) {
    const notice = document.createElement("div");
    notice.className = kind ? `notice ${kind}` : "notice";
    if (kind === "bad") notice.setAttribute("role", "alert");
    notice.append(...nodes);
    status.replaceChildren(notice);
  }
  const paragraph = (text) => Object.assign(document.createElement("p"), { textContent: text });

  async function sha256(file) {
    const digest = await crypto.subtle.digest("SHA-256", await file.arrayBuffer());
    return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** The picture's pixels as the browser decodes it (EXIF orientation applied), hashed with PDQ. */
  async function pdq(file) {
    const { pdqFromPixels } = await import("/assets/vendor/vergewis-pdq.js");
    const bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    const canvas = document.createElement("canvas");
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
    const context = canvas.getContext("2d");
    context.drawImage(bitmap, 0, 0);
    bitmap.close();
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    const { hash, quality } = pdqFromPixels({
      data: pixels.data,
      width: pixels.width,
      height: pixels.height,
      channels: 4,
    });
    return { value: hash, quality };
  }

  async function submit() {
    const file = document.getElementById("report-file").files[0];
    if (!file) return show([paragraph(messages["report.noFile"])], "bad");
    show([paragraph(messages["report.hashing"])]);
    let hashes;
    try {
      hashes = { sha256: await sha256(file), pdq: await pdq(file) };
    } catch {
      return show([paragraph(messages["report.unreadable"])], "bad");
    }
    const contact = document.getElementById("report-contact").value.trim();
    const body = {
      ...hashes,
      category: document.getElementById("report-category").value,
      description: document.getElementById("report-description").value,
      ...(contact && { contact }),
    };
    let response;
    try {
      response = await fetch("/portal/api/reports", {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken },
        body: JSON.stringify(body),
      });
    } catch {
      return show([paragraph(messages["error.network"])], "bad");
    }
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      const code = json.code === "csrf_token_invalid" || json.code === "cross_origin_request" ? "csrf" : json.code;
      return show([paragraph(messages[`error.${code}`] ?? messages["error.generic"])], "bad");
    }
    const list = document.createElement("ul");
    for (const [name, value] of [
      ["SHA-256", hashes.sha256],
      ["PDQ", hashes.pdq.value],
    ]) {
      const item = document.createElement("li");
      item.append(`${name}: `, Object.assign(document.createElement("code"), { textContent: value }));
      list.append(item);
    }
    const sent = json.effect === "blocked" ? messages["report.sentBlocked"] : messages["report.sentReview"];
    show([paragraph(sent), paragraph(messages["report.hashes"]), list], "good");
    status.dataset.reportId = json.id;
  }

  button.addEventListener("click", async () => {
    if (button.getAttribute("aria-busy") === "true") return;
    button.setAttribute("aria-busy", "true");
    try {
      await submit();
    } finally {
      button.removeAttribute("aria-busy");
    }
  });
})();
