import type { Express } from "express";

/** One route of the app as Express knows it: method and the full path pattern. */
export interface RouteEntry {
  method: string;
  path: string;
}

interface Layer {
  rawPath?: string | string[];
  slash?: boolean;
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
}

/**
 * Every method + path the app routes, walked from Express's router (mounted routers included), so
 * that a test can demand an entry for each endpoint, including ones added later.
 */
export function listRoutes(app: Express): RouteEntry[] {
  const routes: RouteEntry[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const path of [layer.route.path].flat())
          for (const [method, on] of Object.entries(layer.route.methods))
            if (on && method !== "_all") routes.push({ method: method.toUpperCase(), path: prefix + path });
      } else if (layer.handle.stack) {
        const mount = layer.slash || layer.rawPath === undefined ? "" : [layer.rawPath].flat()[0]!;
        walk(layer.handle.stack, prefix + (mount === "/" ? "" : mount));
      }
    }
  };
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, "");
  const seen = new Set<string>();
  return routes.filter((r) => {
    const key = `${r.method} ${r.path}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}
