import { open } from "node:fs/promises";

/** What a file's first bytes say it is: only the containers PDQ or vPDQ can read are named. */
export type MediaKind = "image" | "video" | "other";

const ascii = (bytes: Uint8Array, at: number, text: string) =>
  bytes.length >= at + text.length && [...text].every((c, i) => bytes[at + i] === c.charCodeAt(0));

/** ISO base media brands of still images (AVIF, HEIF); every other `ftyp` brand is a video (MP4, MOV, 3GP). */
const IMAGE_BRANDS = new Set(["avif", "avis", "heic", "heix", "mif1", "msf1"]);

/**
 * Sniffs the format from the magic numbers rather than trusting the name or the declared media
 * type, which uploaders set freely.
 */
export function mediaKindOf(head: Uint8Array): MediaKind {
  const b = head;
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "image"; // JPEG
  if (ascii(b, 0, "\x89PNG")) return "image";
  if (ascii(b, 0, "GIF8")) return "image";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return "image";
  if (ascii(b, 0, "II*\0") || ascii(b, 0, "MM\0*")) return "image"; // TIFF
  if (ascii(b, 4, "ftyp")) {
    const brand = String.fromCharCode(...b.subarray(8, 12));
    return IMAGE_BRANDS.has(brand) ? "image" : "video";
  }
  if (b[0] === 0x1a && b[1] === 0x45 && b[2] === 0xdf && b[3] === 0xa3) return "video"; // Matroska, WebM
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "AVI ")) return "video";
  if (ascii(b, 0, "FLV")) return "video";
  if (ascii(b, 0, "OggS")) return "video";
  if (b[0] === 0 && b[1] === 0 && b[2] === 1 && b[3] === 0xba) return "video"; // MPEG program stream
  if (b[0] === 0x47 && b[188] === 0x47 && b[376] === 0x47) return "video"; // MPEG transport stream: a sync byte every 188
  return "other";
}

export async function mediaKindOfFile(file: string): Promise<MediaKind> {
  const handle = await open(file, "r");
  try {
    const head = new Uint8Array(512);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    return mediaKindOf(head.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}
