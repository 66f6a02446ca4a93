// PDQ as one self-contained ES module for browsers: the portal hashes a picture on the person's
// own device (from a canvas's ImageData) and only the hash leaves it.
export * from "./index.ts";
