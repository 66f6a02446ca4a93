import { createReadStream, openAsBlob } from "node:fs";
import { fingerprintFile } from "@vergewis/sdk";

const file = process.argv[2] ?? "scene-3.mp4";

console.log((await fingerprintFile(file)).value); // a path
console.log((await fingerprintFile(createReadStream(file))).value); // a Node stream, such as an upload in progress
console.log((await fingerprintFile((await openAsBlob(file)).stream())).value); // a web stream (Blob, File, fetch body)
