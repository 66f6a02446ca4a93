import express, { type RequestHandler } from "express";
import { VergewisError } from "../errors.ts";

export const BODY_LIMIT = "100kb";

const hasBody = (headers: Record<string, unknown>) =>
  headers["transfer-encoding"] !== undefined ||
  (headers["content-length"] !== undefined && headers["content-length"] !== "0");

const requireJson: RequestHandler = (req, _res, next) => {
  if (hasBody(req.headers) && !req.is("application/json")) {
    return next(
      new VergewisError("unsupported_media_type", "unsupported_media_type", "Send the body as application/json."),
    );
  }
  next();
};

/** JSON bodies only, at most 100 kB; anything else is refused before it is read. */
export const jsonBody: RequestHandler[] = [
  requireJson,
  express.json({ limit: BODY_LIMIT, strict: true, type: "application/json" }),
];
