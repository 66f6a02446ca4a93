import canonicalize from "canonicalize";

/**
 * RFC 8785 JSON Canonicalization Scheme: the one serialisation that is hashed and signed, so that
 * the server, the SDK and any third party derive the same bytes from the same document.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError("value has no JSON representation");
  return text;
}
