import type { Response } from "express";

/**
 * `res.json(body)` without the weak ETag that Express hashes every body for: an answer to a POST
 * is never revalidated (only GET and HEAD get a 304), so for the publish check, the API's hottest
 * route, the hash is pure cost. Node adds Content-Length, as the body is sent in one piece.
 */
export function sendPostJson(res: Response, body: unknown): void {
  res.setHeader("Content-Type", "application/json; charset=utf-8");
  res.end(JSON.stringify(body));
}
