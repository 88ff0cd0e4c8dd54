import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { staticFiles, Velox, VeloxError } from "../../src/index.ts";
import { serveForTest, type LiveServer } from "../../src/testing/index.ts";
import { assertServing, get, httpRequest, rawRequest, type RawResponse } from "./raw-http.ts";

const OUTSIDE = "TOP SECRET OUTSIDE THE ROOT";
const DOTFILE = "DOTFILE SECRET";

function hasFifo(): boolean {
  try {
    execFileSync("mkfifo", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Nothing from outside the root, nor a dotfile, may appear in any answer. */
function expectNoLeak(res: RawResponse): void {
  const text = res.body.toString("latin1");
  expect(text).not.toContain("root:");
  expect(text).not.toContain(OUTSIDE);
  expect(text).not.toContain(DOTFILE);
}

describe("staticFiles over a real socket", () => {
  let base: string;
  let live: LiveServer;
  const fifo = hasFifo();

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), "velox-static-"));
    const root = join(base, "public");
    mkdirSync(join(root, "sub"), { recursive: true });
    mkdirSync(join(root, "noindex"));
    mkdirSync(join(root, ".hidden"));
    mkdirSync(join(root, ".well-known"));
    writeFileSync(join(base, "outside-secret.txt"), OUTSIDE);
    writeFileSync(join(root, "index.html"), "<h1>home</h1>");
    writeFileSync(join(root, "hello.txt"), "hello");
    writeFileSync(join(root, "name with space €.txt"), "unicode name");
    writeFileSync(join(root, "sub", "index.html"), "<h1>sub</h1>");
    writeFileSync(join(root, "sub", "page.txt"), "page");
    writeFileSync(join(root, "noindex", "file.txt"), "file");
    writeFileSync(join(root, ".secret"), DOTFILE);
    writeFileSync(join(root, ".hidden", "x.txt"), DOTFILE);
    writeFileSync(join(root, ".well-known", "security.txt"), "Contact: mailto:security@example.com");
    symlinkSync("/etc/passwd", join(root, "link-passwd"));
    symlinkSync("/etc", join(root, "link-etc"));
    symlinkSync(join(base, "outside-secret.txt"), join(root, "link-outside"));
    symlinkSync("hello.txt", join(root, "link-in"));
    symlinkSync(".secret", join(root, "link-dot"));
    symlinkSync("sub", join(root, "link-sub"));
    symlinkSync(join(base, "outside-secret.txt"), join(root, "noindex", "index.html"));
    if (fifo) execFileSync("mkfifo", [join(root, "fifo")]);
    symlinkSync(root, join(base, "root-link"));

    const app = new Velox({ logger: false });
    app.get("/health", {}, () => ({ ok: true }));
    app.include(staticFiles(root, { prefix: "/static", cacheControl: "public, max-age=60" }));
    app.include(staticFiles(root, { prefix: "/ignore", dotfiles: "ignore" }));
    app.include(staticFiles(root, { prefix: "/allow", dotfiles: "allow" }));
    app.include(staticFiles(root, { prefix: "/noindex", index: false }));
    app.include(staticFiles(join(base, "root-link"), { prefix: "/via-link" }));
    live = await serveForTest(app);
  });
  afterAll(async () => {
    await live.close();
    rmSync(base, { recursive: true, force: true });
  });
  afterEach(() => assertServing(live.port));

  describe("serving", () => {
    it("serves a file with type, length, validators and the configured Cache-Control", async () => {
      const res = await get(live.port, "/static/hello.txt?x=../../etc/passwd");
      expect(res.status).toBe(200);
      expect(res.text()).toBe("hello");
      expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
      expect(res.headers["content-length"]).toBe("5");
      expect(res.headers.etag).toBeDefined();
      expect(res.headers["cache-control"]).toBe("public, max-age=60");
    });

    it("serves index.html for the root and for directories", async () => {
      expect((await get(live.port, "/static/")).text()).toBe("<h1>home</h1>");
      expect((await get(live.port, "/static/sub/")).text()).toBe("<h1>sub</h1>");
    });

    it("redirects a directory without its trailing slash, keeping the query", async () => {
      const res = await get(live.port, "/static/sub?x=1&next=%2Fhome%26more");
      expect(res.status).toBe(307);
      expect(res.headers.location).toBe("/static/sub/?x=1&next=%2Fhome%26more");
      const top = await get(live.port, "/static");
      expect(top.status).toBe(307);
      expect(top.headers.location).toBe("/static/");
    });

    it("follows symlinks that stay inside the root", async () => {
      expect((await get(live.port, "/static/link-in")).text()).toBe("hello");
      expect((await get(live.port, "/static/link-sub/page.txt")).text()).toBe("page");
      expect((await get(live.port, "/via-link/hello.txt")).text()).toBe("hello");
    });

    it("decodes names once", async () => {
      const res = await get(live.port, "/static/name%20with%20space%20%E2%82%AC.txt");
      expect(res.status).toBe(200);
      expect(res.text()).toBe("unicode name");
    });

    it("answers HEAD, conditional and range requests", async () => {
      const headRes = await rawRequest(live.port, httpRequest("HEAD", "/static/hello.txt"), { head: true });
      expect(headRes.status).toBe(200);
      expect(headRes.headers["content-length"]).toBe("5");
      expect(headRes.body.length).toBe(0);
      const range = await get(live.port, "/static/hello.txt", { Range: "bytes=1-3" });
      expect(range.status).toBe(206);
      expect(range.text()).toBe("ell");
      const cached = await get(live.port, "/static/hello.txt", { "If-None-Match": range.headers.etag! });
      expect(cached.status).toBe(304);
      expect((await get(live.port, "/static/hello.txt", { Range: "bytes=10-" })).status).toBe(416);
    });

    it("other methods → 405 with Allow", async () => {
      const res = await rawRequest(live.port, httpRequest("POST", "/static/hello.txt", {}, ""));
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe("GET, HEAD");
    });

    it("dotfiles: 'allow' serves them, 'ignore' hides them as 404", async () => {
      expect((await get(live.port, "/allow/.well-known/security.txt")).status).toBe(200);
      expect((await get(live.port, "/ignore/.well-known/security.txt")).status).toBe(404);
      expect((await get(live.port, "/ignore/.secret")).status).toBe(404);
    });

    it("index: false → 404 for directories", async () => {
      expect((await get(live.port, "/noindex/")).status).toBe(404);
      expect((await get(live.port, "/noindex/sub/")).status).toBe(404);
      expect((await get(live.port, "/noindex/hello.txt")).status).toBe(200);
    });

    it("refuses a root that is not a directory, at registration", () => {
      expect(() => staticFiles(join(base, "outside-secret.txt"), { prefix: "/x" })).toThrow(VeloxError);
      expect(() => staticFiles(join(base, "nope"), { prefix: "/x" })).toThrow(/VX_INVALID_OPTION/);
      expect(() => staticFiles(base, { prefix: "/x", index: "../outside-secret.txt" })).toThrow(/VX_INVALID_OPTION/);
    });
  });

  describe("hostile paths never leave the root", () => {
    it.each([
      ["/static/../outside-secret.txt", 400],
      ["/static/%2e%2e/outside-secret.txt", 400],
      ["/static/%2E%2E/outside-secret.txt", 400],
      ["/static/.%2e/outside-secret.txt", 400],
      ["/static/sub/../../outside-secret.txt", 400],
      ["/static/./hello.txt", 400],
      ["/static/..%2foutside-secret.txt", 400],
      ["/static/%2e%2e%2Foutside-secret.txt", 400],
      ["/static/..%5coutside-secret.txt", 400],
      ["/static/..\\outside-secret.txt", 400],
      ["/static/sub%2fpage.txt", 400],
      ["/static/hello.txt%00.png", 400],
      ["/static/hello.txt%00", 400],
      ["/static//etc/passwd", 400],
      ["/static/....//outside-secret.txt", 400],
      ["/static/%252e%252e/outside-secret.txt", 404],
      ["/static/%c0%ae%c0%ae/outside-secret.txt", 404],
      ["/static/.secret", 403],
      ["/static/.hidden/x.txt", 403],
      ["/static/.nonexistent", 403],
      ["/static/.../outside-secret.txt", 403],
      ["/static/link-dot", 403],
      ["/allow/link-passwd", 404],
      ["/static/link-passwd", 404],
      ["/static/link-etc/passwd", 404],
      ["/static/link-outside", 404],
      ["/static/noindex/", 404],
      ["/static/hello.txt/", 404],
      ["/static/nope.txt", 404],
    ])("%s → %i", async (path, status) => {
      const res = await get(live.port, path);
      expect(res.status).toBe(status);
      expect(res.headers["content-type"]).toBe("application/json");
      expectNoLeak(res);
    });

    it.runIf(fifo)("a FIFO in the root → 404 without blocking the server", async () => {
      const res = await get(live.port, "/static/fifo");
      expect(res.status).toBe(404);
    });

    it("no combination of traversal tokens reaches a file outside the root", async () => {
      const tokens = ["..", "%2e%2e", ".%2e", "..%2f", "%2f", "%5c", "\\", "%00", "%252e%252e", "", "%c0%ae%c0%ae", "link-etc", "link-outside", "sub", ".hidden"];
      const targets = ["outside-secret.txt", "passwd"];
      const statuses = new Set<number>();
      let requests = 0;
      for (const a of tokens) {
        for (const b of tokens) {
          for (const target of targets) {
            const res = await get(live.port, `/static/${a}/${b}/${target}`);
            requests++;
            statuses.add(res.status);
            expectNoLeak(res);
            if (![400, 403, 404].includes(res.status)) throw new Error(`/static/${a}/${b}/${target} answered ${res.status}`);
          }
        }
      }
      expect(requests).toBe(tokens.length ** 2 * targets.length);
      expect([...statuses].sort()).toEqual([400, 403, 404]);
    });
  });
});
