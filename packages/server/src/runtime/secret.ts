import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config/schema.ts";

/**
 * The server secret: from configuration, or (outside production) generated once and kept in
 * `<dataDir>/secret`, readable by the owner only. Every instance of one deployment needs the same.
 */
export function resolveSecret(config: Config): Buffer {
  if (config.secret) return Buffer.from(config.secret, "utf8");
  const file = path.join(config.dataDir, "secret");
  fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  try {
    fs.writeFileSync(file, randomBytes(32).toString("base64url"), { flag: "wx", mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
  return Buffer.from(fs.readFileSync(file, "utf8").trim(), "utf8");
}
