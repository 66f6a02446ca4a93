import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { promisify } from "node:util";
import openapiTS, { astToString } from "openapi-typescript";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { TestPerformer } from "../support/performer.ts";
import { freshIdentity, newPerformer, startPortalServer } from "../support/portal.ts";
import type { TestServer } from "../support/server.ts";

// A client generated from the served document, as an integrator in any language would make one:
// openapi-typescript writes the types, a platform's program (./openapi-client/) is type-checked
// against them with tsc, and runs the whole platform flow through openapi-fetch.

const root = fileURLToPath(new URL("../../", import.meta.url));
const programs = fileURLToPath(new URL("./openapi-client/", import.meta.url));
let server: TestServer;
let dir: string;

// The program's own types come from the generated file, which this file cannot import.
interface Performer {
  consent(invitationUrl: string, slotId: string): Promise<void>;
  revoke(publicationId: string): Promise<void>;
}
type FlowResult = Record<string, any>;

beforeAll(async () => {
  server = await startPortalServer();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-openapi-client-"));
  // The generated client resolves openapi-fetch (and tsc its types) from the repository's packages.
  fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"), "dir");
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ type: "module" }));
  for (const file of ["platform-flow.ts", "misuse.ts"])
    fs.copyFileSync(path.join(programs, file), path.join(dir, file));
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await server?.close();
});

async function typecheck(file: string): Promise<string> {
  const tsconfig = path.join(dir, `tsconfig.${file}.json`);
  const compilerOptions = {
    strict: true,
    noEmit: true,
    noUncheckedIndexedAccess: true,
    target: "es2022",
    module: "nodenext",
    moduleResolution: "nodenext",
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    types: [],
  };
  fs.writeFileSync(tsconfig, JSON.stringify({ compilerOptions, files: [file] }));
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  try {
    await promisify(execFile)(process.execPath, [tsc, "-p", tsconfig], { cwd: dir });
    return "";
  } catch (error) {
    return (error as { stdout?: string }).stdout || String(error);
  }
}

describe("a client generated from /openapi.json", () => {
  test("openapi-typescript generates types that a platform's program type-checks against", async () => {
    const ast = await openapiTS(new URL(`${server.url}/openapi.json`));
    fs.writeFileSync(path.join(dir, "api.ts"), astToString(ast));
    expect(await typecheck("platform-flow.ts")).toBe("");
    // The types are the document's: a request without its scope, or an unknown algorithm, is refused.
    const misuse = await typecheck("misuse.ts");
    expect(misuse).toMatch(/misuse\.ts\(\d+,\d+\): error TS\d+.*Property 'scope' is missing/s);
    expect(misuse).toMatch(/misuse\.ts\(\d+,\d+\): error TS\d+: Type '"md5"' is not assignable/);
  }, 180_000);

  test("runs the platform flow through openapi-fetch: request, consent, check, revoke, takedown", async () => {
    const platform = await server.createPlatform("Generated client platform");
    let performer: TestPerformer | undefined;
    let consentId = "";
    const portal: Performer = {
      async consent(invitationUrl, slotId) {
        performer = await newPerformer(server).onboard(freshIdentity("adult"));
        expect((await performer.acceptInvitation(invitationUrl)).status).toBe(200);
        const consent = await performer.consent(slotId);
        expect(consent.status).toBe(201);
        consentId = consent.body.consentId;
      },
      async revoke() {
        expect((await performer!.revoke(consentId)).status).toBe(200);
      },
    };
    const program = (await import(pathToFileURL(path.join(dir, "platform-flow.ts")).href)) as {
      platformFlow(baseUrl: string, apiKey: string, performer: Performer): Promise<FlowResult>;
    };
    const result = await program.platformFlow(server.url, platform.apiKey, portal);

    expect(result.publication.status).toBe("pending");
    expect(result.replayed).toBe("true");
    expect(result.cleared).toMatchObject({ allowed: true, reason: "cleared", publicationId: result.publication.id });
    expect(result.consents.items).toHaveLength(1);
    expect(result.consents.items[0]).toMatchObject({ id: consentId, status: "active" });
    expect(result.revoked).toMatchObject({ allowed: false, reason: "revoked" });
    expect(result.open.items).toHaveLength(1);
    expect(result.acknowledged).toMatchObject({
      id: result.open.items[0]!.id,
      publicationId: result.publication.id,
      reason: "revocation",
      consentId,
      status: "acknowledged",
      note: "Removed from every page.",
    });
    expect(result.notFound).toMatchObject({ status: 404, code: "not_found" });
  }, 120_000);
});
