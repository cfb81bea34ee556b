import { describe, expect, it } from "vitest";
import en from "../messages/en.json";
import vi from "../messages/vi.json";
import { resolveLocale } from "../i18n/negotiate";

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === "string") out.set(prefix + key, value);
    else for (const [k, v] of leaves(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

describe("message catalogues", () => {
  const enLeaves = leaves(en as Tree);
  const viLeaves = leaves(vi as Tree);

  it("have the same keys in English and Vietnamese", () => {
    expect([...viLeaves.keys()].sort()).toEqual([...enLeaves.keys()].sort());
  });

  it("have no empty message", () => {
    for (const [key, value] of [...enLeaves, ...viLeaves]) expect(value.trim(), key).not.toBe("");
  });

  it("use the same placeholders in both languages", () => {
    const placeholders = (s: string) => [...s.matchAll(/\{\s*(\w+)\s*[,}]/g)].map((m) => m[1]).sort();
    for (const [key, value] of enLeaves) expect(placeholders(viLeaves.get(key) ?? ""), key).toEqual(placeholders(value));
  });

  it("use the seed's Vietnamese scope wording", () => {
    expect(vi.scopes.read_only.title).toBe("Chỉ Đọc");
    expect(vi.scopes.full_access.title).toBe("Toàn Quyền");
    expect(vi.scopes.read_only.limit).toBe("200 requests/giờ");
    expect(vi.scopes.full_access.limit).toBe("500 requests/giờ");
    expect(vi.home.securityBody).toBe(
      "API key của bạn có quyền truy cập vào dữ liệu. Hãy giữ bí mật và không chia sẻ trong code phía client.",
    );
  });
});

describe("resolveLocale", () => {
  it("prefers the remembered choice", () => {
    expect(resolveLocale("vi", "en-US,en;q=0.9")).toBe("vi");
    expect(resolveLocale("en", "vi")).toBe("en");
  });

  it("ignores a cookie that is not a locale", () => {
    expect(resolveLocale("fr", "vi-VN")).toBe("vi");
  });

  it("follows the browser's languages by quality, matching regions to their language", () => {
    expect(resolveLocale(undefined, "vi-VN,vi;q=0.9,en;q=0.8")).toBe("vi");
    expect(resolveLocale(undefined, "fr-FR, en;q=0.5, vi;q=0.7")).toBe("vi");
    expect(resolveLocale(undefined, "en-GB")).toBe("en");
    expect(resolveLocale(undefined, "vi;q=0, en")).toBe("en");
  });

  it("falls back to English", () => {
    expect(resolveLocale(undefined, null)).toBe("en");
    expect(resolveLocale(undefined, "fr, de;q=0.5")).toBe("en");
    expect(resolveLocale(undefined, "*")).toBe("en");
    expect(resolveLocale(undefined, ";;;,,")).toBe("en");
  });
});
