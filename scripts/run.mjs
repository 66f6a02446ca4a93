// The entry point of `npm start`, `npm test`, `npm run bench` and `npm run build`. On a fresh
// clone with only Node and npm it bootstraps pnpm, installs from the frozen lockfile, generates
// the Prisma client and builds the packages, each step only when its inputs changed.
import { spawnSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureChromium, ensureFfmpeg, ensurePostgres } from "./system-deps.mjs";
import { ensureNode, LTS_MAJOR } from "./test-node.mjs";
import { runResult, summaryLine, total } from "./test-summary.mjs";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
process.chdir(root);

const [task, ...args] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync("package.json", "utf8"));
const pnpmVersion = pkg.packageManager.replace(/^pnpm@/, "");

const [major, minor] = process.versions.node.split(".").map(Number);
if (major < 20 || (major === 20 && minor < 19))
  fail(`Node ${process.versions.node} is too old: Vergewis needs Node 20.19 or newer.`);

function fail(message) {
  console.error(`\n✖ ${message}\n`);
  process.exit(1);
}

/** Prints a step's name, then its duration when it ends. */
function timed(label, fn) {
  const started = performance.now();
  console.log(`› ${label}…`);
  fn();
  console.log(`  ${label}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function run(command, commandArgs, options = {}) {
  const result = spawnSync(command, commandArgs, { stdio: "inherit", ...options });
  if (result.error) fail(`${command} could not run: ${result.error.message}`);
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const bin = (name) => path.join(root, "node_modules", ".bin", name);

/** Hash of files' contents: a step reruns when its inputs change. */
function digest(files) {
  const hash = createHash("sha256");
  for (const file of files) {
    hash.update(file);
    if (fs.existsSync(file)) hash.update(fs.readFileSync(file));
  }
  return hash.digest("hex");
}

function listFiles(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .sort();
}

/** Runs `fn` unless the stamp file records the same digest of its inputs. */
function step(name, inputs, outputs, fn) {
  const stamp = path.join("node_modules", ".vergewis", `${name}.stamp`);
  const want = digest(inputs);
  const fresh =
    outputs.every((o) => fs.existsSync(o)) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === want;
  if (fresh) return;
  fn();
  fs.mkdirSync(path.dirname(stamp), { recursive: true });
  fs.writeFileSync(stamp, want);
}

const packages = ["sdk", "server", "examples"];
const manifests = [
  "package.json",
  "pnpm-lock.yaml",
  "pnpm-workspace.yaml",
  ...packages.map((p) => `packages/${p}/package.json`),
];

function install() {
  step("install", manifests, ["node_modules/.modules.yaml"], () => {
    timed("Installing dependencies (pnpm, frozen lockfile)", () =>
      run("npx", [
        "--yes",
        `pnpm@${pnpmVersion}`,
        "install",
        "--frozen-lockfile",
        "--config.confirmModulesPurge=false",
      ]),
    );
  });
}

function generate() {
  step(
    "prisma-generate",
    ["prisma/schema.prisma", "pnpm-lock.yaml"],
    ["packages/server/src/db/generated/client.ts"],
    () => {
      timed("Generating the Prisma client", () =>
        run(bin("prisma"), ["generate"], { stdio: ["ignore", "ignore", "inherit"] }),
      );
    },
  );
}

/** Packages with sources to build and type-check. */
const buildable = () => packages.filter((name) => fs.existsSync(`packages/${name}/tsup.config.ts`));

function build() {
  for (const name of buildable()) {
    const dir = `packages/${name}`;
    const inputs = [
      ...listFiles(`${dir}/src`),
      `${dir}/tsup.config.ts`,
      `${dir}/package.json`,
      "pnpm-lock.yaml",
      "prisma/schema.prisma",
    ];
    step(`build-${name}`, inputs, [`${dir}/dist`], () => {
      timed(`Building @vergewis/${name}`, () => run(bin("tsup"), ["--silent"], { cwd: dir }));
    });
  }
}

function prepare() {
  install();
  generate();
  build();
}

function lint() {
  timed("Checking formatting (prettier)", () => run(bin("prettier"), ["--check", "--log-level", "warn", "."]));
  timed("Type-checking", () => {
    for (const dir of [...buildable().map((p) => `packages/${p}`), "."]) run(bin("tsc"), ["--noEmit", "-p", dir]);
  });
}

/** Runs a long-lived child, forwarding Ctrl-C and SIGTERM so that it can shut down cleanly. */
function runForeground(command, commandArgs) {
  const child = spawn(command, commandArgs, { stdio: "inherit" });
  for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

/** Runs vitest on `node`, its output streamed through; settles with the exit code and last line. */
function vitestOn(node, vitestArgs) {
  // The binary's directory first on PATH: the tests' child processes and scripts run on it too.
  const child = spawn(node, [path.join("node_modules", "vitest", "vitest.mjs"), "run", ...vitestArgs], {
    stdio: ["inherit", "pipe", "inherit"],
    env: { ...process.env, PATH: `${path.dirname(node)}${path.delimiter}${process.env.PATH}` },
  });
  for (const signal of ["SIGINT", "SIGTERM"]) process.once(signal, () => child.kill(signal));
  let tail = "";
  child.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    tail = (tail + chunk.toString()).slice(-4096);
  });
  return new Promise((resolve) =>
    child.on("close", (code) => resolve({ code, last: tail.trimEnd().split("\n").at(-1) ?? "" })),
  );
}

/**
 * Runs the suite once per Node binary, a line for each, then ends with one `N passed, N failed`
 * line over all runs: CI reads the last line.
 */
async function testOn(nodes, vitestArgs) {
  const runs = [];
  for (const node of nodes) {
    const version = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
    const started = performance.now();
    console.log(`› Running the tests on Node ${version} (vitest)…`);
    const { code, last } = await vitestOn(node, vitestArgs);
    console.log(`  Running the tests on Node ${version}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    runs.push({ version, ...runResult(code, last) });
  }
  if (runs.length > 1) console.log(`\n${runs.map((run) => `Node ${run.version}: ${summaryLine(run)}`).join("\n")}`);
  const all = total(runs);
  console.log(`\n${summaryLine(all)}`);
  if (all.failed > 0) process.exit(1);
}

switch (task) {
  case "build":
    prepare();
    break;
  case "start":
    prepare();
    // The whole system: server, local identity provider and the example platform (scripts/local-system),
    // composed from the packages' builds.
    runForeground(process.execPath, ["--import", "tsx", "scripts/local-system/main.ts", ...args]);
    break;
  case "test": {
    prepare();
    lint();
    ensurePostgres();
    if (fs.existsSync("test/e2e")) ensureChromium();
    ensureFfmpeg();
    // CI runs the suite on the machine's Node and on the LTS line recommended for production;
    // VERGEWIS_TEST_NODE=24 does both locally.
    const nodes = [process.execPath];
    if (process.env.CI === "true" || process.env.VERGEWIS_TEST_NODE === String(LTS_MAJOR)) nodes.push(ensureNode(root));
    await testOn(nodes, args);
    break;
  }
  case "bench":
    prepare();
    run(bin("tsx"), ["bench/run.ts", ...args]);
    break;
  default:
    fail(`unknown task "${task}": use start, test, bench or build`);
}
