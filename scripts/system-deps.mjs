// System packages the test suite needs: PostgreSQL server binaries (the suites run on a real
// PostgreSQL as well as on PGlite), Chromium (browser tests) and ffmpeg (video fingerprints). Installed from Debian with apt-get
// when missing and running as root; otherwise the run stops with a message saying what to install.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

const isRoot = process.getuid?.() === 0;

function which(name) {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    const file = path.join(dir, name);
    if (dir && fs.existsSync(file)) return file;
  }
  return undefined;
}

/** The directory holding initdb and pg_ctl, or undefined. */
export function postgresBinDir() {
  const onPath = which("initdb");
  if (onPath && which("pg_ctl")) return path.dirname(fs.realpathSync(onPath));
  const base = "/usr/lib/postgresql";
  if (!fs.existsSync(base)) return undefined;
  const versions = fs.readdirSync(base).filter((v) => fs.existsSync(path.join(base, v, "bin", "initdb")));
  versions.sort((a, b) => Number(b) - Number(a));
  return versions[0] ? path.join(base, versions[0], "bin") : undefined;
}

function aptInstall(pkg, why) {
  if (!isRoot || !which("apt-get")) {
    console.error(
      `\n✖ ${why} Install the Debian package "${pkg}" (apt-get install ${pkg}) and run the tests again.\n`,
    );
    process.exit(1);
  }
  console.log(`› Installing ${pkg} from Debian (needed by the tests)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const args of [
    ["update", "-qq"],
    ["install", "-y", "-qq", pkg],
  ]) {
    const result = spawnSync("apt-get", args, { stdio: ["ignore", "ignore", "inherit"], env });
    if (result.status !== 0) {
      console.error(`\n✖ apt-get ${args.join(" ")} failed. ${why}\n`);
      process.exit(1);
    }
  }
}

export function ensurePostgres() {
  if (postgresBinDir()) return;
  aptInstall("postgresql", "The tests need a PostgreSQL server (initdb, pg_ctl) and none was found.");
  if (!postgresBinDir()) {
    console.error("\n✖ PostgreSQL was installed but initdb is still not found.\n");
    process.exit(1);
  }
}

export const CHROMIUM = "/usr/bin/chromium";

export function ensureChromium() {
  if (fs.existsSync(CHROMIUM)) return;
  aptInstall("chromium", "The browser tests need Debian's Chromium at /usr/bin/chromium.");
}

/** ffmpeg decodes videos for vPDQ fingerprints (the SDK's `@vergewis/sdk/fingerprint`). */
export function ensureFfmpeg() {
  if (which("ffmpeg")) return;
  aptInstall("ffmpeg", "Video fingerprints (vPDQ) and their tests need ffmpeg.");
}
