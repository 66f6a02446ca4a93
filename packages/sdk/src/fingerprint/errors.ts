import { VergewisSdkError } from "../errors.ts";

/** Stable codes of media fingerprinting failures: match on `code`, not on the message. */
export type MediaFingerprintErrorCode =
  /** The file looks like an image or a video but cannot be decoded (corrupt, truncated, unsupported variant). */
  | "media_unreadable"
  /** Video fingerprints need the `ffmpeg` program and none was found on `PATH` (or at the given path). */
  | "ffmpeg_unavailable"
  /** Image fingerprints need the optional peer dependency `sharp`, which is not installed. */
  | "sharp_unavailable";

/** An image or a video could not be fingerprinted perceptually. `file` names it when known. */
export class MediaFingerprintError extends VergewisSdkError {
  declare readonly code: MediaFingerprintErrorCode;
  readonly file: string | undefined;

  constructor(code: MediaFingerprintErrorCode, message: string, options?: ErrorOptions & { file?: string }) {
    super(code, message, options);
    this.file = options?.file;
  }
}
