// The performer portal's passkey ceremonies (no build step, no inline code). Each button with a
// `data-passkey` attribute runs one ceremony against the portal's JSON API: options from the
// server, the browser's WebAuthn prompt (SimpleWebAuthn), the response back to the server; then
// the next page. The page explains itself without this script; only the passkey needs it.
"use strict";

(() => {
  const dataElement = document.getElementById("portal-data");
  if (!dataElement) return;
  const { csrfToken, messages } = JSON.parse(dataElement.textContent);
  const { startAuthentication, startRegistration } = window.SimpleWebAuthnBrowser;
  const status = document.getElementById("passkey-status");

  class ApiError extends Error {
    constructor(code) {
      super(code);
      this.code = code;
    }
  }

  /** Puts a notice into the page's live region; an error is an alert. */
  function show(text, kind) {
    const notice = document.createElement("p");
    notice.className = kind ? `notice ${kind}` : "notice";
    if (kind === "bad") notice.setAttribute("role", "alert");
    notice.textContent = text;
    status.replaceChildren(notice);
  }

  /** A POST to /portal/api with the session's CSRF token; problem+json errors become ApiErrors. */
  async function api(path, body = {}) {
    let response;
    try {
      response = await fetch(`/portal/api${path}`, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken },
        body: JSON.stringify(body),
      });
    } catch {
      throw new ApiError("network");
    }
    const text = await response.text();
    let json = {};
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new ApiError("generic");
    }
    if (!response.ok) throw new ApiError(json.code ?? "generic");
    return json;
  }

  // Problem codes that share a sentence; any other code has its own `error.<code>` or the general one.
  const SAME_AS = {
    csrf_token_invalid: "csrf",
    cross_origin_request: "csrf",
    slot_not_open: "closed",
    publication_not_pending: "closed",
    invitation_expired: "closed",
    request_not_found: "closed",
  };

  function messageFor(error) {
    // The person cancelled the prompt, or it timed out: WebAuthn does not say which (privacy).
    if (error && ["NotAllowedError", "AbortError"].includes(error.name)) return messages["error.cancelled"];
    if (error && error.code === "ERROR_CEREMONY_ABORTED") return messages["error.cancelled"];
    const code = error instanceof ApiError ? error.code : "generic";
    return messages[`error.${SAME_AS[code] ?? code}`] ?? messages["error.generic"];
  }

  /** Each returns the page to go to next, or null to stay. */
  const ceremonies = {
    async login(button) {
      const optionsJSON = await api("/login/options");
      await api("/login", { response: await startAuthentication({ optionsJSON }) });
      return button.dataset.next;
    },
    async register(button) {
      const optionsJSON = await api("/passkeys/options");
      await api("/passkeys", { response: await startRegistration({ optionsJSON }) });
      return button.dataset.next;
    },
    async sign(button) {
      const slot = button.dataset.slot;
      // The content items review.js showed and checked: the signed document names them as verified.
      const items = [...document.querySelectorAll("li[data-review-url]")];
      const verified = items.filter((i) => i.dataset.state === "verified").map((i) => i.dataset.sha256);
      const ceremony = await api(`/requests/${slot}/consent/options`, items.length > 0 ? { verified } : {});
      const response = await startAuthentication({ optionsJSON: ceremony.options });
      const signed = await api(`/requests/${slot}/consent`, { document: ceremony.document, response });
      return `/portal/consents/${signed.consentId}`;
    },
    async revoke(button) {
      const consent = button.dataset.consent;
      // "Withdraw everywhere" is part of the signed document, so it is chosen before the options.
      const everywhere = document.getElementById(button.dataset.everywhere)?.checked === true;
      const ceremony = await api(`/consents/${consent}/revocation/options`, everywhere ? { everywhere } : {});
      const response = await startAuthentication({ optionsJSON: ceremony.options });
      await api(`/consents/${consent}/revocation`, { document: ceremony.document, response });
      return `/portal/consents/${consent}`;
    },
    async lift(button) {
      const consent = button.dataset.consent;
      const ceremony = await api(`/consents/${consent}/lift/options`);
      const response = await startAuthentication({ optionsJSON: ceremony.options });
      await api(`/consents/${consent}/lift`, { document: ceremony.document, response });
      return `/portal/consents/${consent}`;
    },
    async delete(button) {
      const box = document.getElementById(button.dataset.confirm);
      if (!box.checked) {
        show(messages["delete.needConfirm"], "bad");
        box.focus();
        return null;
      }
      const ceremony = await api("/account/deletion/options");
      const response = await startAuthentication({ optionsJSON: ceremony.options });
      await api("/account/deletion", { document: ceremony.document, response });
      return "/portal/goodbye";
    },
  };

  for (const button of document.querySelectorAll("button[data-passkey]")) {
    const ceremony = ceremonies[button.dataset.passkey];
    if (!ceremony) continue;
    // Ticking the confirmation box clears the request to tick it.
    const box = button.dataset.confirm && document.getElementById(button.dataset.confirm);
    if (box) box.addEventListener("change", () => box.checked && status.replaceChildren());
    button.addEventListener("click", async () => {
      if (button.getAttribute("aria-busy") === "true") return;
      // aria-busy rather than disabled: a disabled button would lose the keyboard focus.
      button.setAttribute("aria-busy", "true");
      show(messages.working);
      try {
        const next = await ceremony(button);
        if (next) {
          window.location.assign(next);
          return;
        }
      } catch (error) {
        show(messageFor(error), "bad");
      }
      button.removeAttribute("aria-busy");
    });
  }
})();
