import { Router } from "express";
import type { ServerContext } from "../context.ts";
import { openInvitation } from "../consent/invitation.ts";
import { InvitationInvalidError } from "../consent/errors.ts";
import { rateLimit } from "../http/rate-limit.ts";
import { ensureSession } from "../session/http.ts";

/**
 * `/portal/i/{code}`: the invitation link. The code is checked and the slot remembered in this
 * browser's session; the person then logs in or verifies their age, and accepts it on the
 * invitation page (a POST with a CSRF token: a link alone never binds a slot to an account).
 * The redirect drops the code from the address bar and from any Referer.
 */
export function invitationLinks(ctx: ServerContext): Router {
  const router = Router();
  router.get(
    "/portal/i/:code",
    rateLimit(ctx, "invitation-link", ctx.config.rateLimits.invitations),
    async (req, res) => {
      const session = await ensureSession(ctx, req, res);
      res.setHeader("Cache-Control", "no-store");
      let slotId: string;
      try {
        slotId = await openInvitation(ctx, String(req.params.code), session.performerId);
      } catch (error) {
        if (!(error instanceof InvitationInvalidError)) throw error;
        return void res
          .status(404)
          .type("html")
          .send(invalidInvitationPage(req.acceptsLanguages("nl", "en") === "nl"));
      }
      await ctx.db.portalSession.update({ where: { id: session.id }, data: { pendingSlotId: slotId } });
      res.redirect(303, "/portal/invitation");
    },
  );
  return router;
}

function invalidInvitationPage(dutch: boolean): string {
  const [title, body, back] = dutch
    ? [
        "Deze uitnodiging werkt niet",
        "De code is ongeldig, verlopen of al gebruikt. Vraag het platform om een nieuwe uitnodiging.",
        "Naar het portaal",
      ]
    : [
        "This invitation does not work",
        "The code is not valid, has expired, or was already used. Ask the platform for a new invitation.",
        "Go to the portal",
      ];
  return `<!doctype html>
<html lang="${dutch ? "nl" : "en"}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body><main data-refusal="invitation_invalid"><h1>${title}</h1><p>${body}</p><p><a href="/portal">${back}</a></p></main></body>
</html>`;
}
