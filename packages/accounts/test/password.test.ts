import { describe, expect, it } from "vitest";
import { hashPassword, verifyPassword } from "../src/password";

describe("password hashing", () => {
  it("verifies the right password and rejects a wrong one", async () => {
    const stored = await hashPassword("correct horse battery staple");
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(stored).not.toContain("correct horse");
    await expect(verifyPassword("correct horse battery staple", stored)).resolves.toBe(true);
    await expect(verifyPassword("correct horse battery stapler", stored)).resolves.toBe(false);
  });

  it("salts every hash", async () => {
    expect(await hashPassword("same")).not.toBe(await hashPassword("same"));
  });

  it("treats Unicode compositions of one password alike", async () => {
    const stored = await hashPassword("mật khẩu");
    await expect(verifyPassword("mật khẩu".normalize("NFD"), stored)).resolves.toBe(true);
  });

  it.each(["", "bcrypt$x", "scrypt$1$2$3$salt", "scrypt$99999999$8$1$AAAA$AAAA", "scrypt$32768$8$1$AAAA$AAAA"])(
    "rejects the malformed stored hash %j",
    async (stored) => {
      await expect(verifyPassword("anything", stored)).resolves.toBe(false);
    },
  );
});
