import { Router } from "express";
import type { ServerContext } from "../context.ts";
import { openInvitation } from "../consent/invitation.ts";
import { InvitationInvalidError } from "../consent/errors.ts";
import { rateLimit } from "../http/rate-limit.ts";
import { sendRefusal } from "./pages/refusal-page.ts";
import { ensureSession } from "./session.ts";

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
    rateLimit(ctx, { name: "invitation-link", limit: ctx.config.rateLimits.invitations }),
    async (req, res) => {
      const session = await ensureSession(ctx, req, res);
      res.setHeader("Cache-Control", "no-store");
      let slotId: string;
      try {
        slotId = await openInvitation(ctx, String(req.params.code), session.performerId);
      } catch (error) {
        if (!(error instanceof InvitationInvalidError)) throw error;
        return sendRefusal(req, res, "invitation_invalid");
      }
      await ctx.db.portalSession.update({ where: { id: session.id }, data: { pendingSlotId: slotId } });
      res.redirect(303, "/portal/invitation");
    },
  );
  return router;
}
