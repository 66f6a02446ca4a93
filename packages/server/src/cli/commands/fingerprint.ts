import { fingerprintLine } from "@vergewis/sdk/fingerprint";
import { defineCommand, UsageError } from "../command.ts";

// The SDK computes the fingerprints (docs/fingerprints.md); the command is how a shell gets them.
export default defineCommand({
  name: "fingerprint",
  summary:
    "Print each file's fingerprints as one JSON line: SHA-256, and PDQ for an image or vPDQ for a video, with quality",
  options: {},
  operands: "FILE...",
  async run(_flags, _context, files) {
    if (files.length === 0) throw new UsageError("fingerprint needs at least one FILE");
    let failed = 0;
    // One file at a time: a video's frames stream through ffmpeg, and the lines keep the order given.
    for (const file of files) {
      try {
        console.log(await fingerprintLine(file));
      } catch (error) {
        failed++;
        console.error(`${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return failed > 0 ? 1 : 0;
  },
});
