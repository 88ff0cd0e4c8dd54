import * as argon2 from "@node-rs/argon2";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { DEFAULT_PASSWORD_POLICY, PasswordHasher, PasswordTooLongError } from "./passwords.ts";

vi.mock("@node-rs/argon2", async (importOriginal) => {
  const real = await importOriginal<typeof import("@node-rs/argon2")>();
  return { ...real, hash: vi.fn(real.hash), verify: vi.fn(real.verify) };
});

const hashSpy = vi.mocked(argon2.hash);
const verifySpy = vi.mocked(argon2.verify);

describe("PasswordHasher", () => {
  const passwords = new PasswordHasher();
  beforeEach(() => {
    hashSpy.mockClear();
    verifySpy.mockClear();
  });

  it("hashes with Argon2id m=19456 KiB, t=2, p=1 and verifies", async () => {
    const stored = await passwords.hash("correct horse battery staple");
    expect(stored).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await passwords.verify(stored, "correct horse battery staple")).toBe(true);
    expect(await passwords.verify(stored, "Correct horse battery staple")).toBe(false);
    expect(await passwords.verify("not a hash", "x")).toBe(false);
    expect(passwords.needsRehash(stored)).toBe(false);
  });

  it("rejects an oversize password before hashing it", async () => {
    const long = "a".repeat(DEFAULT_PASSWORD_POLICY.maxPasswordLength + 1);
    await expect(passwords.hash(long)).rejects.toBeInstanceOf(PasswordTooLongError);
    await expect(passwords.hash("x".repeat(1_000_000))).rejects.toThrow("at most 128 characters");
    expect(hashSpy).not.toHaveBeenCalled();
    expect(await passwords.verify("$argon2id$v=19$m=19456,t=2,p=1$AAAA$AAAA", long)).toBe(false);
    expect(verifySpy).not.toHaveBeenCalled();
    expect(passwords.acceptsLength("a".repeat(128))).toBe(true);
  });

  it("caps the UTF-8 byte length too", async () => {
    const bytes = new PasswordHasher({ ...DEFAULT_PASSWORD_POLICY, maxPasswordLength: 1000, maxPasswordBytes: 100 });
    expect(bytes.acceptsLength("é".repeat(50))).toBe(true);
    expect(bytes.acceptsLength("é".repeat(51))).toBe(false);
    await expect(bytes.hash("é".repeat(51))).rejects.toBeInstanceOf(PasswordTooLongError);
    expect(hashSpy).not.toHaveBeenCalled();
  });

  it("verifies an unknown user's attempt against a dummy hash with the current parameters", async () => {
    const stored = await passwords.hash("right password");
    await passwords.dummyHash();
    verifySpy.mockClear();

    expect(await passwords.check(undefined, "whatever")).toEqual({ ok: false });
    expect(await passwords.check(stored, "wrong password")).toEqual({ ok: false });
    expect(verifySpy).toHaveBeenCalledTimes(2);
    const [dummy] = verifySpy.mock.calls[0] ?? [];
    const [real] = verifySpy.mock.calls[1] ?? [];
    expect(argon2.parseOptions(dummy as string)).toEqual(argon2.parseOptions(real as string));
    expect(dummy).not.toBe(real);
    expect(await passwords.dummyHash()).toBe(dummy);
  });

  it("takes comparable time for an unknown user and a wrong password", async () => {
    const stored = await passwords.hash("right password");
    await passwords.dummyHash();
    const time = async (run: () => Promise<unknown>) => {
      const start = performance.now();
      for (let i = 0; i < 3; i++) await run();
      return performance.now() - start;
    };
    const unknown = await time(() => passwords.check(undefined, "guess"));
    const wrong = await time(() => passwords.check(stored, "guess"));
    expect(unknown / wrong).toBeGreaterThan(0.25);
    expect(unknown / wrong).toBeLessThan(4);
  });

  it("asks for a rehash when the parameters change, and provides it on a successful check", async () => {
    const weak = new PasswordHasher({ ...DEFAULT_PASSWORD_POLICY, memoryCost: 8192, timeCost: 3 });
    const old = await weak.hash("s3cret-password");
    expect(passwords.needsRehash(old)).toBe(true);
    expect(weak.needsRehash(old)).toBe(false);
    expect(passwords.needsRehash("$2b$12$bcrypt.hash.from.an.older.system")).toBe(true);

    const check = await passwords.check(old, "s3cret-password");
    expect(check.ok).toBe(true);
    if (!check.ok || check.rehash === undefined) throw new Error("expected a rehash");
    expect(check.rehash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await passwords.verify(check.rehash, "s3cret-password")).toBe(true);

    const current = await passwords.hash("s3cret-password");
    expect(await passwords.check(current, "s3cret-password")).toEqual({ ok: true, rehash: undefined });
  });
});
