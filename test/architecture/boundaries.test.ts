// The layers' import rules, read from the sources with TypeScript's own parser: the example
// platform integrates through the SDK alone, the SDK knows nothing of the server, and the server's
// domain code knows nothing of HTTP.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const serverSource = path.join(root, "packages/server/src");

/** Every TypeScript file under `dir`, relative to it, with `/` separators. */
function sources(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((file) => /\.(ts|tsx|mts|cts)$/.test(file) && !file.endsWith(".d.ts"))
    .map((file) => file.split(path.sep).join("/"));
}

/** What a file imports: static and type-only imports, re-exports, `import()` and `require()`. */
function importsOf(file: string): string[] {
  return ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);
}

/** `specifier` as written in `file`: a package name, or the absolute path a relative one points to. */
const target = (file: string, specifier: string) =>
  specifier.startsWith(".") ? path.resolve(path.dirname(file), specifier) : specifier;

const isServer = (file: string, specifier: string) => {
  const to = target(file, specifier);
  return /^@vergewis\/server(\/|$)/.test(to) || to.startsWith(path.join(root, "packages/server") + path.sep);
};

/** `file: specifier` for every import of the files under `dir` that `forbidden` refuses. */
function offences(dir: string, files: string[], forbidden: (file: string, specifier: string) => boolean) {
  return files.flatMap((file) =>
    importsOf(path.join(dir, file))
      .filter((specifier) => forbidden(path.join(dir, file), specifier))
      .map((specifier) => `${file}: ${specifier}`),
  );
}

const dependencies = (pkg: string): string[] => {
  const json = JSON.parse(fs.readFileSync(path.join(root, "packages", pkg, "package.json"), "utf8")) as Record<
    string,
    Record<string, string> | undefined
  >;
  return ["dependencies", "devDependencies", "peerDependencies", "optionalDependencies"].flatMap((field) =>
    Object.keys(json[field] ?? {}),
  );
};

describe.each([
  { pkg: "examples", rule: "the example platform integrates through @vergewis/sdk alone" },
  { pkg: "sdk", rule: "the SDK knows nothing of the server" },
])("$rule", ({ pkg }) => {
  const dir = path.join(root, "packages", pkg, "src");
  const files = sources(dir);

  test("no file of it imports the server, by name or by path", () => {
    expect(files.length).toBeGreaterThan(10);
    expect(offences(dir, files, isServer)).toEqual([]);
  });

  test("its package does not depend on the server", () => {
    expect(dependencies(pkg)).toContain(pkg === "sdk" ? "zod" : "@vergewis/sdk");
    expect(dependencies(pkg)).not.toContain("@vergewis/server");
  });
});

/**
 * The server's HTTP edge, where Express and http/ belong (docs/architecture.md): the HTTP kit, the
 * web kit, the faces (the JSON API, the portal, the auditor console, the API's OpenAPI document),
 * the app that wires them, the command line and the runtime that starts listeners. Everything else
 * under packages/server/src is domain code.
 */
const EDGE = ["http/", "web/", "api/", "portal/", "console/", "openapi/", "app.ts", "cli/", "runtime/"];
const isDomain = (file: string) =>
  !file.endsWith(".test.ts") && !EDGE.some((edge) => file === edge || file.startsWith(edge));

describe("the server's domain code knows nothing of HTTP", () => {
  const files = sources(serverSource);
  const domain = files.filter(isDomain);
  const isHttp = (file: string, specifier: string) =>
    /^express(\/|$)/.test(specifier) || target(file, specifier).startsWith(path.join(serverSource, "http") + path.sep);

  test("no domain file imports express or http/", () => {
    expect(domain.length).toBeGreaterThan(100);
    const found = offences(serverSource, domain, isHttp);
    expect(found).toEqual([]);
  });

  test("the rule sees what it is meant to: an edge file importing express is not domain code", () => {
    expect(isDomain("app.ts")).toBe(false);
    expect(isDomain("api/publications.ts")).toBe(false);
    expect(isDomain("report/routes.ts")).toBe(true);
    expect(isDomain("publication/request.ts")).toBe(true);
    expect(offences(serverSource, ["app.ts"], isHttp)).toContain("app.ts: express");
  });
});
