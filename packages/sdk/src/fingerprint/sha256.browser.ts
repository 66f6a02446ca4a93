// SHA-256 with an incremental digest, as one self-contained ES module for browsers: the portal
// checks a large video against its fingerprint chunk by chunk while it downloads (WebCrypto's
// digest takes the whole file at once). @noble/hashes: audited, no dependencies.
export { sha256 } from "@noble/hashes/sha2.js";
