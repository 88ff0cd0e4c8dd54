import { describe, expect, it } from "vitest";
import { contentDisposition } from "./content-disposition.ts";

describe("contentDisposition", () => {
  it("quotes a plain ASCII name as is", () => {
    expect(contentDisposition("report.pdf")).toBe('attachment; filename="report.pdf"');
    expect(contentDisposition("my report (1).pdf", "inline")).toBe('inline; filename="my report (1).pdf"');
  });

  it("adds an RFC 8187 filename* for names that are not plain ASCII", () => {
    expect(contentDisposition("résumé.pdf")).toBe("attachment; filename=\"r_sum_.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
    expect(contentDisposition("日本.txt")).toBe("attachment; filename=\"__.txt\"; filename*=UTF-8''%E6%97%A5%E6%9C%AC.txt");
    expect(contentDisposition("a'(b)*.txt")).toBe('attachment; filename="a\'(b)*.txt"');
    expect(contentDisposition("100%.txt")).toBe("attachment; filename=\"100_.txt\"; filename*=UTF-8''100%25.txt");
  });

  it("cannot be used to inject header fields or quote out of the parameter", () => {
    const value = contentDisposition('evil"; filename=x.exe\r\nSet-Cookie: a=b.txt');
    expect(value).not.toMatch(/[\r\n]/);
    expect(value.match(/"/g)).toHaveLength(2);
    expect(value).toContain("filename*=UTF-8''");
    expect(value.split("filename*=UTF-8''")[1]).toMatch(/^[A-Za-z0-9!#$&+.^_`|~%-]+$/);
  });

  it("keeps only the last path component", () => {
    expect(contentDisposition("../../etc/passwd")).toBe('attachment; filename="passwd"');
    expect(contentDisposition("C:\\Users\\me\\notes.txt")).toBe('attachment; filename="notes.txt"');
    expect(contentDisposition("..")).toBe("attachment");
    expect(contentDisposition("")).toBe("attachment");
  });
});
