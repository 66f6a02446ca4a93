import type { Command } from "./command.ts";
import auditorCreate from "./commands/auditor-create.ts";
import auditorRevoke from "./commands/auditor-revoke.ts";
import auditorUnseal from "./commands/auditor-unseal.ts";
import fingerprint from "./commands/fingerprint.ts";
import flaggerCreate from "./commands/flagger-create.ts";
import flaggerList from "./commands/flagger-list.ts";
import flaggerRevoke from "./commands/flagger-revoke.ts";
import keysRotate from "./commands/keys-rotate.ts";
import logVerify from "./commands/log-verify.ts";
import migrate from "./commands/migrate.ts";
import platformConfigure from "./commands/platform-configure.ts";
import platformCreate from "./commands/platform-create.ts";
import start from "./commands/start.ts";
import worker from "./commands/worker.ts";

/** Every `vergewis` command, in the order `--help` lists them. A new command: its file and a line here. */
export const COMMANDS: readonly Command[] = [
  start,
  worker,
  migrate,
  platformCreate,
  platformConfigure,
  keysRotate,
  auditorCreate,
  auditorRevoke,
  auditorUnseal,
  logVerify,
  flaggerCreate,
  flaggerRevoke,
  flaggerList,
  fingerprint,
];
