// Shows a consent request's content items and checks each against its sha-256 fingerprint, in
// the performer's browser (no build step, no inline code). Each item is fetched from the
// platform's review URL (CORS, no cookies, no referrer), hashed, and shown from a blob: URL of
// exactly the bytes that were hashed; Vergewis never holds the content. The consent button is
// enabled only when every item is shown and checked.
"use strict";

(() => {
  const dataElement = document.getElementById("review-data");
  const sign = document.getElementById("sign");
  if (!dataElement || !sign) return;
  const { messages } = JSON.parse(dataElement.textContent);
  const items = [...document.querySelectorAll("li[data-review-url]")];

  // WebCrypto digests a whole buffer at once; a file larger than this (or of unknown size) is
  // hashed chunk by chunk as it arrives, with @noble/hashes.
  const WHOLE_FILE_LIMIT = 32 * 1024 * 1024;
  let noble;
  const streamingSha256 = async () => {
    noble ??= await import("/assets/vendor/vergewis-sha256.js");
    return noble.sha256.create();
  };

  const hex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

  /** The item's bytes, their media type and their SHA-256 in hex. */
  async function fetchAndHash(url) {
    const response = await fetch(url, {
      mode: "cors",
      credentials: "omit",
      referrerPolicy: "no-referrer",
      cache: "no-store",
      redirect: "error",
    });
    if (!response.ok || !response.body) throw new Error(`review URL answered ${response.status}`);
    const type = (response.headers.get("Content-Type") ?? "").split(";")[0].trim().toLowerCase();
    const length = Number(response.headers.get("Content-Length") ?? Number.NaN);
    const hash = length <= WHOLE_FILE_LIMIT ? null : await streamingSha256();
    const chunks = [];
    const reader = response.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      hash?.update(value);
    }
    const blob = new Blob(chunks, { type });
    const digest = hash
      ? hash.digest()
      : new Uint8Array(await crypto.subtle.digest("SHA-256", await blob.arrayBuffer()));
    return { blob, type, sha256: hex(digest) };
  }

  function settle(item, state, text) {
    item.dataset.state = state;
    const status = item.querySelector(".review-status");
    status.className = `notice review-status ${state === "verified" ? "ok" : "bad"}`;
    if (state !== "verified") status.setAttribute("role", "alert");
    status.textContent = text;
    if (items.every((i) => i.dataset.state === "verified")) {
      sign.disabled = false;
      document.getElementById("review-waiting")?.remove();
    }
  }

  async function review(item) {
    let result;
    try {
      result = await fetchAndHash(item.dataset.reviewUrl);
    } catch {
      return settle(item, "failed", messages.failed);
    }
    // Bytes that are not the fingerprinted file are never shown: they are not what is consented to.
    if (result.sha256 !== item.dataset.sha256) return settle(item, "mismatch", messages.mismatch);
    const kind = result.type.startsWith("image/") ? "img" : result.type.startsWith("video/") ? "video" : null;
    if (!kind) return settle(item, "unsupported", messages.unsupported);
    const element = document.createElement(kind);
    element.src = URL.createObjectURL(result.blob);
    element.className = "review-media";
    if (kind === "video") {
      element.controls = true;
      element.preload = "metadata";
    } else {
      element.alt = item.querySelector("h3").textContent;
    }
    item.querySelector(".review-view").replaceChildren(element);
    settle(item, "verified", messages.verified);
  }

  for (const item of items) void review(item);
})();
