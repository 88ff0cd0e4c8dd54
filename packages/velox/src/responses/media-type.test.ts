import { describe, expect, it } from "vitest";
import { mediaTypeFor } from "./media-type.ts";

describe("mediaTypeFor", () => {
  it.each([
    ["index.html", "text/html; charset=utf-8"],
    ["app.JS", "text/javascript; charset=utf-8"],
    ["data.json", "application/json; charset=utf-8"],
    ["logo.svg", "image/svg+xml; charset=utf-8"],
    ["photo.png", "image/png"],
    ["font.woff2", "font/woff2"],
    ["archive.tar.gz", "application/gzip"],
    ["binary.exe", "application/octet-stream"],
    ["Makefile", "application/octet-stream"],
    [".env", "application/octet-stream"],
  ])("%s is %s", (name, type) => {
    expect(mediaTypeFor(name)).toBe(type);
  });
});
