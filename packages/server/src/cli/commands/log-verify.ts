import path from "node:path";
import { RemoteError, verifyRemoteLog, type VerifyLogResult } from "../../verifier/remote-log.ts";
import { defineCommand, UsageError } from "../command.ts";
import { progressBar } from "../progress-bar.ts";

// Verifying talks to a server over HTTP only: it needs no configuration of its own.
export default defineCommand({
  name: "log verify",
  summary:
    "Download the whole audit log, recompute its Merkle tree and check it against the signed checkpoint and against the state saved by the previous run",
  options: {
    url: { type: "string", value: "URL", required: true, help: "The server's http(s) URL" },
    key: {
      type: "string",
      value: "VKEY",
      help: "The log's verifier key (otherwise the server's, trusted on first use)",
    },
    state: {
      type: "string",
      value: "FILE",
      help: "Where the previous run's checkpoint is kept (default: ~/.local/state/vergewis/)",
    },
    progress: { type: "boolean", help: "Show progress on stderr (shown anyway on a terminal)" },
    token: { type: "string", value: "TOKEN", help: "The auditor token (default: VERGEWIS_AUDITOR_TOKEN)" },
  },
  async run(flags) {
    if (!flags.url || !URL.canParse(flags.url) || !/^https?:$/.test(new URL(flags.url).protocol)) {
      throw new UsageError("log verify needs --url with the server's http(s) URL");
    }
    const token = flags.token ?? process.env.VERGEWIS_AUDITOR_TOKEN;
    if (!token) throw new UsageError("log verify needs an auditor token: set VERGEWIS_AUDITOR_TOKEN (or pass --token)");
    const statePath =
      flags.state ??
      path.join(
        process.env.XDG_STATE_HOME ?? path.join(process.env.HOME ?? ".", ".local", "state"),
        "vergewis",
        `${new URL(flags.url).host.replaceAll(":", "_")}.json`,
      );
    const bar = flags.progress || process.stderr.isTTY ? progressBar(process.stderr, "Verifying") : undefined;
    let result: VerifyLogResult;
    try {
      result = await verifyRemoteLog({
        url: flags.url,
        token,
        verifierKey: flags.key,
        statePath,
        ...(bar && { onProgress: (done: number, total: number) => bar.update(done, total) }),
      }).finally(() => bar?.done());
    } catch (error) {
      if (!(error instanceof RemoteError)) throw error;
      console.error(`The server refused: ${error.message}`);
      return 2;
    }
    report(result, statePath);
    return result.ok ? 0 : 1;
  },
});

function report(result: VerifyLogResult, statePath: string) {
  if (result.keyFromServer) {
    console.log(`Trusting the server's key on first use: ${result.verifierKey}
Compare it with the key you were given.`);
  }
  const { problem } = result;
  if (problem) {
    const where = problem.index !== undefined ? ` (first bad index: ${problem.index})` : "";
    console.log(`✖ The log does NOT verify [${problem.code}]${where}: ${problem.message}.`);
    return;
  }
  console.log(
    `✔ Verified ${result.treeSize.toLocaleString("en")} entries of ${result.origin}: root ${result.rootHash} matches the signed checkpoint.`,
  );
  console.log(
    result.previousSize === undefined
      ? `Saved this checkpoint to ${statePath}; the next run checks that the log only grew.`
      : `The log extends, unchanged, the ${result.previousSize.toLocaleString("en")} entries verified before (${statePath}).`,
  );
}
