// The SDK as integrators install it: the tarball `pnpm pack` makes from the built package
// (`npm test` builds it first), checked by publint and arethetypeswrong, and loaded by Node both
// ways from a project that has only the SDK's declared dependencies.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { builtinModules } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { publint } from "publint";
import { formatMessage } from "publint/utils";
import { afterAll, beforeAll, describe, expect, test } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const sdkDir = path.join(root, "packages/sdk");
const pkg = JSON.parse(fs.readFileSync(path.join(sdkDir, "package.json"), "utf8")) as {
  version: string;
  dependencies: Record<string, string>;
};
const pnpmVersion = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { packageManager: string })
  .packageManager;

let dir: string;
let tarball: string;
/** A project with the unpacked SDK in node_modules and nothing but its declared dependencies. */
let project: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-sdk-pack-"));
  execFileSync("npx", ["--yes", pnpmVersion, "pack", "--pack-destination", dir], { cwd: sdkDir, stdio: "pipe" });
  tarball = path.join(dir, `vergewis-sdk-${pkg.version}.tgz`);
  project = path.join(dir, "project");
  const installed = path.join(project, "node_modules/@vergewis/sdk");
  fs.mkdirSync(installed, { recursive: true });
  execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
  for (const dependency of Object.keys(pkg.dependencies)) {
    const link = path.join(project, "node_modules", dependency);
    fs.mkdirSync(path.dirname(link), { recursive: true });
    fs.symlinkSync(fs.realpathSync(path.join(sdkDir, "node_modules", dependency)), link);
  }
  fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "integrator", private: true }));
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const node = (args: string[]) => execFileSync(process.execPath, args, { cwd: project, encoding: "utf8" });

describe("the packed @vergewis/sdk", () => {
  test("holds the build, the README and package.json, and nothing else", () => {
    const files = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" }).trim().split("\n").sort();
    expect(files.filter((f) => !/^package\/dist\/[\w.-]+\.(c?js|d\.c?ts|c?js\.map)$/.test(f))).toEqual([
      "package/README.md",
      "package/package.json",
    ]);
    for (const entry of ["index", "express", "fingerprint"]) {
      for (const ext of ["js", "cjs", "d.ts", "d.cts"]) expect(files).toContain(`package/dist/${entry}.${ext}`);
    }
  });

  test("passes publint, strictly", async () => {
    const { messages, pkg: manifest } = await publint({
      pack: { tarball: fs.readFileSync(tarball).buffer as ArrayBuffer },
      level: "suggestion",
      strict: true,
    });
    expect(messages.map((m) => formatMessage(m, manifest))).toEqual([]);
  });

  test("passes arethetypeswrong for Node 16+ resolution (CJS and ESM) and bundlers", () => {
    // The node16 profile leaves out TypeScript's legacy `node10` resolution, which cannot see
    // subpath exports (`@vergewis/sdk/express`); the package needs Node 20.19+ anyway.
    const attw = path.join(root, "node_modules/.bin/attw");
    // Exits non-zero (and execFileSync throws) on any problem the profile counts.
    const json = execFileSync(attw, [tarball, "--profile", "node16", "--format", "json"], { encoding: "utf8" });
    const report = JSON.parse(json) as {
      analysis: { problems: Array<{ resolutionKind?: string }>; entrypoints: Record<string, unknown> };
    };
    expect(report.analysis.problems.filter((p) => p.resolutionKind !== "node10")).toEqual([]);
    expect(Object.keys(report.analysis.entrypoints).sort()).toEqual([
      ".",
      "./express",
      "./fingerprint",
      "./package.json",
    ]);
  });

  test("loads with require() and with import, with the same exports", () => {
    const script = (load: string) => `${load}
      const check = {
        exports: Object.keys(sdk).sort(),
        express: Object.keys(express).sort(),
        canonical: sdk.canonicalJson({ b: 1, a: [true, null] }),
        client: typeof new sdk.Vergewis({ apiKey: "vgw_live_x", baseUrl: "http://127.0.0.1:1" }).publications.iterate,
        errors: new sdk.NotFoundError({ type: "t", title: "Not Found", status: 404, code: "not_found" }) instanceof sdk.VergewisSdkError,
      };
      console.log(JSON.stringify(check));`;
    const cjs = JSON.parse(
      node(["-e", script(`const sdk = require("@vergewis/sdk"); const express = require("@vergewis/sdk/express");`)]),
    );
    const esm = JSON.parse(
      node([
        "--input-type=module",
        "-e",
        script(`import * as sdk from "@vergewis/sdk"; import * as express from "@vergewis/sdk/express";`),
      ]),
    );
    expect(cjs).toEqual(esm);
    expect(cjs).toMatchObject({
      canonical: '{"a":[true,null],"b":1}',
      client: "function",
      errors: true,
      express: ["requireConsent"],
    });
    expect(cjs.exports).toEqual(
      expect.arrayContaining([
        "Vergewis",
        "createGate",
        "denialStatus",
        "fingerprintFile",
        "VergewisApiError",
        "publicationRequestSchema",
      ]),
    );
  });

  test("imports at run time only Node's built-ins and its declared dependencies (no Express)", () => {
    const dist = path.join(project, "node_modules/@vergewis/sdk/dist");
    const allowed = new Set([...builtinModules, ...Object.keys(pkg.dependencies)]);
    const imported = new Set<string>();
    for (const file of fs.readdirSync(dist).filter((f) => /\.c?js$/.test(f))) {
      const code = fs.readFileSync(path.join(dist, file), "utf8");
      // sharp, an optional peer, only from the media entry and only when an image is decoded.
      if (/^fingerprint\.c?js$/.test(file)) expect(code).toMatch(/import\(["']sharp["']\)|require\(["']sharp["']\)/);
      else expect(code, file).not.toMatch(/["']sharp["']/);
      // `from` as a keyword, not the string "from" (a schema's field name).
      for (const [, specifier] of code.matchAll(
        /(?:(?<!["'\w])from\s*|\brequire\(|\bimport\()\s*["']([^"'./][^"']*)["']/g,
      )) {
        imported.add(specifier!.replace(/^node:/, "").replace(/^((?:@[^/]+\/)?[^/]+).*$/, "$1"));
      }
    }
    expect([...imported].filter((name) => !allowed.has(name) && name !== "sharp")).toEqual([]);
    expect(imported).toContain("zod");
    expect(imported).not.toContain("canonicalize");
  });
});
