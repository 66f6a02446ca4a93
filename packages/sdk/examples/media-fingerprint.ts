import { fingerprintFile, fingerprintLine, pdqDistance } from "@vergewis/sdk/fingerprint";

const [photo = "photo.jpg", copy = "photo-small.jpg"] = process.argv.slice(2);

// One JSON line per file, as `vergewis fingerprint FILE` prints it.
console.log(await fingerprintLine(photo));

// Near-duplicates: PDQ hashes of copies differ in a few bits; Meta suggests 31 or less as a match.
const pdqOf = async (file: string) => {
  const found = (await fingerprintFile(file)).fingerprints.find((f) => f.alg === "pdq");
  if (!found) throw new Error(`${file} is not an image`);
  return found.value;
};
const distance = pdqDistance(await pdqOf(photo), await pdqOf(copy));
console.log(distance <= 31 ? "same picture" : "different pictures");
