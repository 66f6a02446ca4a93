import type { RequestHandler } from "express";
import { VergewisError } from "../errors.ts";

const isIdentity = (header: string) =>
  header
    .split(",")
    .map((coding) => coding.trim().toLowerCase())
    .every((coding) => coding === "" || coding === "identity");

/**
 * Request bodies travel as they are: any `Content-Encoding` but `identity` is refused with 415
 * before anything reads the body, on every route. Inflating would let a few bytes expand into a
 * large body, and a corrupt stream would fail deep inside a body parser instead of here.
 * `Accept-Encoding: identity` on the answer says what is accepted (RFC 9110 §12.5.3).
 */
export const identityEncodingOnly: RequestHandler = (req, res, next) => {
  const encoding = req.headers["content-encoding"];
  if (encoding === undefined || isIdentity(encoding)) return next();
  res.setHeader("Accept-Encoding", "identity");
  next(
    new VergewisError(
      "unsupported_encoding",
      "unsupported_media_type",
      "Send the body without Content-Encoding: only identity is accepted.",
    ),
  );
};
