// Entry of the browser bundle (dist/log.browser.js) that the auditor console loads: the log
// verifier plus the byte helpers a page needs to read the API's base64.
export * from "./index.ts";
export { bytesEqual, fromBase64, toBase64, toHex } from "./bytes.ts";
