import type { Response } from "express";

/** A file to download, as chunks of text that are read one at a time. */
export interface Download {
  filename: string;
  contentType: string;
  chunks: AsyncIterable<string>;
}

/**
 * Writes a file as an attachment, chunk by chunk: the next chunk is read only once the client has
 * taken the previous one (back-pressure), and reading stops when the client goes away.
 */
export async function sendDownload(res: Response, file: Download): Promise<void> {
  res.status(200);
  res.type(file.contentType);
  res.setHeader("Content-Disposition", `attachment; filename="${file.filename}"`);
  res.setHeader("Cache-Control", "no-store");
  for await (const chunk of file.chunks) {
    if (res.destroyed) return;
    if (!res.write(chunk)) await drained(res);
  }
  res.end();
}

/** Resolves when the response can take more, or is gone. */
const drained = (res: Response) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });
