// PDQ on decoded pixels, without any Node or DOM API: the part of PDQ that browsers use too.
export { pdqDistance } from "./bits.ts";
export { PDQ_DIHEDRAL_VARIANTS, type PdqDihedralVariant } from "./dihedral.ts";
export {
  lumaFromPixels,
  pdqDihedralFromPixels,
  pdqFromLuma,
  pdqFromPixels,
  PDQ_MATCH_DEFAULTS,
  type PdqHash,
  type PdqPixels,
} from "./pdq.ts";
