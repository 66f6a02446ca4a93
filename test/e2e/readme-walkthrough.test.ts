// The README's quick start exactly as a newcomer runs it: a fresh clone, `npm start -- --port 0
// --example-port 0 --mail-port 0` (the flags the README documents) with the default data directory ./.vergewis
// inside the clone, and the printed banner's "Try it" steps 1–6 in Chromium, then Ctrl-C.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { addVirtualAuthenticator, useBrowser } from "../support/chromium.ts";
import { signInAtProvider } from "../support/portal-browser.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const browser = useBrowser();
let clone: string;
let system: ChildProcess | undefined;
let exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
let output = "";

/**
 * A clone of the code under test: the files git tracks plus those it would add (untracked and not
 * ignored), as they are in the working tree. In CI that is the committed checkout; in development
 * it includes uncommitted edits. Nothing built or installed comes along.
 */
function freshClone(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vergewis-clone-"));
  const listed = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT });
  for (const file of new Set(listed.toString().split("\0").filter(Boolean))) {
    const from = path.join(ROOT, file);
    const stat = fs.lstatSync(from, { throwIfNoEntry: false });
    if (!stat || stat.isDirectory()) continue; // deleted in the working tree, or a submodule
    const to = path.join(dir, file);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    if (stat.isSymbolicLink()) fs.symlinkSync(fs.readlinkSync(from), to);
    else fs.copyFileSync(from, to);
  }
  return dir;
}

/** The shell a newcomer has: nothing of this test run's settings. */
function newcomerEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !/^(VERGEWIS_|EXAMPLE_|DATABASE_URL$|NODE_ENV$|NODE_OPTIONS$|LOG_LEVEL$|VITEST|TEST$|npm_)/i.test(name),
    ),
  );
}

beforeAll(() => {
  clone = freshClone();
});
afterAll(async () => {
  if (system?.pid) {
    try {
      process.kill(-system.pid, "SIGKILL"); // whatever of the group a failed run left behind
    } catch {
      // the group has ended
    }
    await exited;
  }
  if (clone) fs.rmSync(clone, { recursive: true, force: true });
});

/** Waits until `npm start` has printed `pattern`. */
function printed(pattern: RegExp): Promise<RegExpMatchArray> {
  return vi.waitFor(
    () => {
      if (system!.exitCode !== null) throw new Error(`npm start exited with ${system!.exitCode}:\n${output}`);
      const match = pattern.exec(output);
      if (!match) throw new Error(`not printed yet: ${pattern}\n${output.slice(-2000)}`);
      return match;
    },
    { timeout: 600_000, interval: 250 },
  );
}

/** Steps 2 and 3: one person in a browser of their own, from the invitation link to a signed consent. */
async function consent(invitationUrl: string, identity: string, apiUrl: string): Promise<Page> {
  const { page, errors } = await browser().newPage();
  await page.goto(invitationUrl);
  await addVirtualAuthenticator(page);
  await page.click('a[href="/portal/onboarding"]');
  await page.click('a[href^="/portal/verify/start"]');
  await signInAtProvider(page, identity);
  await page.waitForURL(`${apiUrl}/portal/onboarding`);
  await page.click('button[data-passkey="register"]');
  await page.waitForURL(`${apiUrl}/portal/invitation`);
  await page.click("#continue");
  await page.waitForURL(/\/portal\/requests\//);
  await page.click("#sign");
  await page.waitForURL(/\/portal\/consents\/[0-9a-f-]{36}$/);
  expect(await page.textContent('[data-status="active"]')).toBe("Active");
  expect(errors).toEqual([]);
  return page;
}

test("npm start from a fresh clone, the banner's steps 1–6 in Chromium, Ctrl-C", async () => {
  // Its own process group, as in a terminal: Ctrl-C signals npm, the task runner and the system.
  system = spawn("npm", ["start", "--", "--port", "0", "--example-port", "0", "--mail-port", "0"], {
    cwd: clone,
    env: newcomerEnv(),
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  exited = new Promise((resolve) => system!.once("exit", (code, signal) => resolve({ code, signal })));
  system.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  system.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));

  const [, exampleUrl] = await printed(/Example platform\s+(http:\/\/\S+)/);
  const [, apiUrl] = await printed(/Vergewis API\s+(http:\/\/\S+)/);
  const [, auditorToken] = await printed(/Auditor token\s+(vgw_audit_\S+)/);
  const [, mailUrl] = await printed(/Caught mail\s+(http:\/\/\S+)/);
  const [, dataDir] = await printed(/Data\s+(\S+) \(embedded PostgreSQL/);
  await printed(/Press Ctrl-C to stop everything\./);
  // The default data directory, in the clone; and a clean first install.
  expect(path.resolve(clone, dataDir!)).toBe(path.join(clone, ".vergewis"));
  expect(fs.existsSync(path.join(clone, ".vergewis", "pgdata"))).toBe(true);

  // 1. Upload a file with two people in it; its page shows the uploader their own invitation link
  // and where Vergewis mailed the co-performer's.
  // The uploader lives in India (UTC+05:30 all year): the platform shows times in their zone.
  const { page: uploader, errors: uploaderErrors } = await browser().newPage({ timezoneId: "Asia/Kolkata" });
  const file = Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg"><text>${randomBytes(8).toString("hex")}</text></svg>`,
  );
  await uploader.goto(exampleUrl!);
  await uploader.setInputFiles('input[name="file"]', { name: "scene.png", mimeType: "image/png", buffer: file });
  await uploader.fill('input[name="title"]', "Beach scene");
  expect(await uploader.isChecked('input[name="uploaderDepicted"]')).toBe(true);
  await uploader.fill('textarea[name="coPerformers"]', "co-performer@example.test");
  await uploader.click('button[type="submit"]');
  await uploader.waitForURL(/\/uploads\/[0-9a-f-]{36}$/);
  const id = new URL(uploader.url()).pathname.split("/").at(-1)!;
  const links = await uploader.$$eval('a[href*="/portal/"]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
  expect(links).toHaveLength(1);
  expect(await uploader.textContent("body")).toContain("mailed by Vergewis");
  expect(await uploader.$$eval("td[data-contact]", (cells) => cells.map((c) => c.textContent))).toEqual([
    "—",
    "co-performer@example.test",
  ]);
  expect(await uploader.textContent("time")).toMatch(/GMT\+5:30/);
  expect(uploaderErrors).toEqual([]);

  // 2. The uploader's link, as "adult".
  const first = await consent(links[0]!, "adult", apiUrl!);
  // 3. The co-performer's invitation, from the mail on the caught-mail page, as "adult+2".
  const { page: mailbox, errors: mailboxErrors } = await browser().newPage();
  await vi.waitFor(
    async () => {
      await mailbox.goto(mailUrl!);
      expect(await mailbox.textContent("body")).toContain("co-performer@example.test");
    },
    { timeout: 30_000, interval: 250 },
  );
  await mailbox.click("tbody a");
  const mailed = await mailbox.$$eval('a[href*="/portal/i/"]', (as) => as.map((a) => (a as HTMLAnchorElement).href));
  expect(mailed).toHaveLength(1);
  expect(mailboxErrors).toEqual([]);
  await consent(mailed[0]!, "adult+2", apiUrl!);

  // 4. Live: the page says so, and its link serves the very bytes that were uploaded.
  await uploader.reload();
  expect(await uploader.textContent(".status")).toContain("published");
  const [live] = await Promise.all([
    uploader.waitForResponse((r) => new URL(r.url()).pathname === `/media/${id}`),
    uploader.click(`a[href="/media/${id}"]`),
  ]);
  expect(live.status()).toBe(200);
  expect(Buffer.from(await live.body()).equals(file)).toBe(true);
  expect(uploaderErrors).toEqual([]);

  // 5. Withdraw the first consent in the portal: the platform deletes the file and answers 410.
  const consentPath = new URL(first.url()).pathname;
  await first.click(`a[href="${consentPath}/revoke"]`);
  await first.click("#revoke");
  await first.waitForURL(`${apiUrl}${consentPath}`);
  await vi.waitFor(
    async () => {
      const gone = await uploader.goto(`${exampleUrl}/media/${id}`);
      expect(gone!.status()).toBe(410);
    },
    { timeout: 30_000, interval: 250 },
  );
  expect(fs.readdirSync(path.join(clone, ".vergewis", "example-platform", "files"))).not.toContain(id);
  await uploader.goto(exampleUrl!);
  await uploader.setInputFiles('input[name="file"]', { name: "again.png", mimeType: "image/png", buffer: file });
  await uploader.fill('input[name="title"]', "Another title");
  const [refused] = await Promise.all([
    uploader.waitForResponse((r) => r.request().method() === "POST"),
    uploader.click('button[type="submit"]'),
  ]);
  expect(refused.status()).toBe(409);

  // 6. The auditor console, with the token from the banner: the revocation, the takedown and its
  // acknowledgement are in the log.
  const { page: auditor, errors: auditorErrors } = await browser().newPage();
  await auditor.goto(`${apiUrl}/audit/login`);
  await auditor.fill("#token", auditorToken!);
  await auditor.click("button[type=submit]");
  await auditor.waitForURL(`${apiUrl}/audit`);
  await vi.waitFor(
    async () => {
      await auditor.goto(`${apiUrl}/audit/events`);
      const log = (await auditor.textContent("main"))!;
      for (const type of ["consent.revoked", "takedown.requested", "takedown.acknowledged"])
        expect(log).toContain(type);
    },
    { timeout: 30_000, interval: 500 },
  );
  expect(auditorErrors).toEqual([]);

  // Ctrl-C: everything stops cleanly and lets go of its data.
  process.kill(-system.pid!, "SIGINT");
  // npm ends as a terminal's Ctrl-C ends it (by the signal); what it ran must have stopped itself.
  expect([
    { code: 0, signal: null },
    { code: null, signal: "SIGINT" },
  ]).toContainEqual(await exited);
  await vi.waitFor(() => expect(output).toContain("Stopped."), { timeout: 60_000, interval: 250 });
  // Nothing of the process group is left running (the server, its database process, the platform).
  await vi.waitFor(() => expect(() => process.kill(-system!.pid!, 0)).toThrow(/ESRCH/), {
    timeout: 60_000,
    interval: 250,
  });
  // The first install went without warnings (pnpm once failed to link the server's unbuilt bin).
  expect(output).not.toContain("Failed to create bin");
  expect(fs.existsSync(path.join(clone, ".vergewis", "pgdata", "vergewis.lock"))).toBe(false);
  expect(fs.existsSync(path.join(clone, ".vergewis", "example-platform", "db", "example-platform.lock"))).toBe(false);
}, 900_000);
