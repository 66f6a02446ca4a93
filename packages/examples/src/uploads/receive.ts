import { randomUUID } from "node:crypto";
import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { Busboy } from "@fastify/busboy";
import type { Request } from "express";

/** Why an upload could not be received; `status` is the HTTP answer. */
export class UploadRejected extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = "UploadRejected";
  }
}

export interface ReceivedFile {
  /** Where the bytes were written (a fresh name in the incoming directory). */
  path: string;
  bytes: number;
  /** As the browser sent them: for display only. */
  fileName: string;
  mediaType: string;
}

export interface ReceivedUpload {
  /** Text fields by name; a repeated field keeps its first value. */
  fields: Record<string, string>;
  file: ReceivedFile | undefined;
}

const FORM_SLACK_BYTES = 64 * 1024;

/**
 * Streams a multipart/form-data upload to `dir` as it arrives: the file (field `file`) is never
 * held in memory, and a file larger than `maxFileBytes` is refused (413) and deleted. On any
 * rejection nothing is left on disk.
 */
export async function receiveUpload(
  req: Request,
  options: { dir: string; maxFileBytes: number },
): Promise<ReceivedUpload> {
  if (!req.is("multipart/form-data")) throw new UploadRejected(415, "Send the form as multipart/form-data.");
  const declared = Number(req.headers["content-length"] ?? Number.NaN);
  if (declared > options.maxFileBytes + FORM_SLACK_BYTES) {
    req.resume();
    throw tooLarge(options.maxFileBytes);
  }

  let parser: ReturnType<typeof Busboy>;
  try {
    parser = Busboy({
      headers: req.headers as { "content-type": string },
      limits: { files: 1, fileSize: options.maxFileBytes, fields: 10, fieldSize: 10_000, parts: 12, headerPairs: 20 },
    });
  } catch {
    throw new UploadRejected(400, "The form could not be read.");
  }

  const fields: Record<string, string> = {};
  let file: ReceivedFile | undefined;
  let writing: Promise<void> = Promise.resolve();
  let rejection: UploadRejected | undefined;

  const done = new Promise<void>((resolve, reject) => {
    parser.on("field", (name, value) => {
      fields[name] ??= value;
    });
    parser.on("file", (name, stream, fileName, _encoding, mediaType) => {
      if (name !== "file" || file) return stream.resume();
      const target = path.join(options.dir, randomUUID());
      const received: ReceivedFile = { path: target, bytes: 0, fileName, mediaType };
      file = received;
      stream.on("limit", () => {
        rejection = tooLarge(options.maxFileBytes);
        // Discard the rest of an oversized upload unparsed; the answer says Connection: close.
        req.unpipe(parser);
        req.resume();
        stream.destroy();
        resolve();
      });
      writing = pipeline(stream, createWriteStream(target, { flags: "wx", mode: 0o600 })).then(() => {
        received.bytes = stream.bytesRead;
      });
    });
    for (const limit of ["partsLimit", "filesLimit", "fieldsLimit"] as const) {
      parser.on(limit, () => {
        rejection ??= new UploadRejected(400, "The form has more parts than this upload form sends.");
      });
    }
    parser.on("error", () => reject(new UploadRejected(400, "The form could not be read.")));
    parser.on("finish", resolve);
    req.on("aborted", () => reject(new UploadRejected(400, "The upload was interrupted.")));
    req.pipe(parser);
  });

  try {
    await done;
    await writing.catch((error: unknown) => {
      throw rejection ?? error;
    });
    if (rejection) throw rejection;
    return { fields, file };
  } catch (error) {
    await writing.catch(() => {});
    if (file) await rm(file.path, { force: true });
    throw error;
  }
}

const tooLarge = (max: number) =>
  new UploadRejected(
    413,
    `The file is larger than ${Math.floor(max / (1024 * 1024)) || max} ${max >= 1024 * 1024 ? "MiB" : "bytes"}.`,
  );
