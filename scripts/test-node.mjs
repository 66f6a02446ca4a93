// The second Node the suite runs on: the current LTS line, from the npm registry's node-<os>-<arch>
// package (the official binaries, published by the Node project), fetched with `npm pack`, which
// checks the tarball against the integrity the registry lists for it. Kept in
// node_modules/.vergewis/ for later runs.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";

/** The LTS line Vergewis recommends for production and tests on besides the machine's Node. */
export const LTS_MAJOR = 24;

function fail(message) {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

/** Runs a command and returns its standard output, or stops the run with its error output. */
function output(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], ...options });
  if (result.status !== 0) fail(`${command} ${args.join(" ")} failed:\n${result.stderr || result.error?.message}`);
  return result.stdout;
}

/** The path of a Node `major` binary, fetched from the registry on first use. */
export function ensureNode(root, major = LTS_MAJOR) {
  const os = process.platform === "win32" ? "win" : process.platform;
  const name = `node-${os}-${process.arch}`;
  const dir = path.join(root, "node_modules", ".vergewis", `node${major}`);
  const binary = path.join(dir, "package", "bin", process.platform === "win32" ? "node.exe" : "node");
  const works = () => fs.existsSync(binary) && output(binary, ["--version"]).startsWith(`v${major}.`);
  if (works()) return binary;

  console.log(`› Fetching Node ${major} (${name}@${major}) from the npm registry…`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const [packed] = JSON.parse(output("npm", ["pack", `${name}@${major}`, "--json", "--pack-destination", dir]));
  const tarball = path.join(dir, packed.filename);
  output("tar", ["-xzf", tarball, "-C", dir]);
  fs.rmSync(tarball);
  if (!works()) fail(`${name}@${major} did not give a working Node ${major} at ${binary}.`);
  console.log(`  Node ${packed.version}, ${packed.integrity}`);
  return binary;
}
