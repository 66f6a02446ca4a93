import type { RequestHandler } from "express";
import { VergewisError } from "../errors.ts";

/**
 * A path that is not percent-encoded UTF-8 (`%ff`, a lone surrogate sent as `%ED%A0%80`) is 400
 * before any router sees it: routers would fail with a bare URIError while decoding parameters.
 */
export const decodablePath: RequestHandler = (req, _res, next) => {
  try {
    decodeURIComponent(req.path);
  } catch {
    return next(new VergewisError("malformed_path", "invalid", "The path is not percent-encoded UTF-8."));
  }
  next();
};
