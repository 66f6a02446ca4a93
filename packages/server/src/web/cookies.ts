import { parse } from "cookie";
import type { Request } from "express";

/** A cookie of the request (RFC 6265 §4.2.1); one that is not valid percent-encoding reads as sent. */
export const readCookie = (req: Request, name: string): string | undefined =>
  req.headers.cookie ? parse(req.headers.cookie)[name] : undefined;
