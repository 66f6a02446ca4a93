import { randomBytes } from "node:crypto";
import { describe, expect, test } from "vitest";
import { hashInvitation, invitationUrl, newInvitation } from "./invitation.ts";

const secret = randomBytes(32);

describe("invitation codes", () => {
  test("carry at least 128 random bits, grouped for people", () => {
    const { code } = newInvitation(secret);
    expect(code).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}$/);
    expect(code.replaceAll("-", "").length * 5).toBeGreaterThanOrEqual(128);
  });

  test("are all different", () => {
    const codes = new Set(Array.from({ length: 1000 }, () => newInvitation(secret).code));
    expect(codes.size).toBe(1000);
  });

  test("are found however they are typed", () => {
    const { code, hash } = newInvitation(secret);
    const plain = code.replaceAll("-", "");
    for (const typed of [
      code,
      plain,
      plain.toLowerCase(),
      code.replaceAll("-", " "),
      plain.replaceAll("1", "I"),
      plain.replaceAll("0", "o"),
    ]) {
      expect(hashInvitation(secret, typed)).toEqual(hash);
    }
  });

  test("hash under the server secret, so a leaked table cannot be brute-forced offline", () => {
    const { code, hash } = newInvitation(secret);
    expect(hashInvitation(randomBytes(32), code)).not.toEqual(hash);
  });

  test("refuse what cannot be a code", () => {
    for (const input of ["", "ABC", "U".repeat(26), "A".repeat(27), "../../etc/passwd"]) {
      expect(hashInvitation(secret, input)).toBeUndefined();
    }
  });

  test("link to the portal", () => {
    expect(invitationUrl("https://v.example", "ABCD-EFGH")).toBe("https://v.example/portal/i/ABCDEFGH");
  });
});
