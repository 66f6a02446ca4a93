/** This package's version (checked against package.json by a test), sent in the User-Agent. */
export const SDK_VERSION = "0.1.0";
