// A minimal CBOR encoder (RFC 8949 §3): unsigned and negative integers, byte and text strings,
// arrays and maps with deterministic key order as given. Enough for COSE keys and WebAuthn
// attestation objects, and independent of the library under test.

export type CborValue = number | string | Uint8Array | CborValue[] | Map<number | string, CborValue>;

function head(major: number, length: number): Uint8Array {
  if (length < 24) return Uint8Array.of((major << 5) | length);
  if (length < 0x100) return Uint8Array.of((major << 5) | 24, length);
  if (length < 0x10000) return Uint8Array.of((major << 5) | 25, length >> 8, length & 0xff);
  const out = new Uint8Array(5);
  out[0] = (major << 5) | 26;
  new DataView(out.buffer).setUint32(1, length);
  return out;
}

export function encodeCbor(value: CborValue): Uint8Array {
  const parts: Uint8Array[] = [];
  const write = (v: CborValue): void => {
    if (typeof v === "number") {
      if (!Number.isInteger(v)) throw new TypeError("only integers are supported");
      parts.push(v >= 0 ? head(0, v) : head(1, -1 - v));
    } else if (typeof v === "string") {
      const bytes = new TextEncoder().encode(v);
      parts.push(head(3, bytes.length), bytes);
    } else if (v instanceof Uint8Array) {
      parts.push(head(2, v.length), v);
    } else if (Array.isArray(v)) {
      parts.push(head(4, v.length));
      v.forEach(write);
    } else {
      parts.push(head(5, v.size));
      for (const [k, item] of v) {
        write(k);
        write(item);
      }
    }
  };
  write(value);
  return Buffer.concat(parts);
}
