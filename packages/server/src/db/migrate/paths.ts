import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The repository's `prisma/` folder, found by walking up from this module, so that the same code
 * works from `src/` (tests) and from the bundled `dist/` (the CLI).
 */
export function prismaDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "prisma", "schema.prisma");
    if (fs.existsSync(candidate)) return path.dirname(candidate);
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("cannot find prisma/schema.prisma above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
