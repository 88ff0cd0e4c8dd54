import { describe, expect, it } from "vitest";
import { OAuth2PasswordBearer, Velox, depends, requireScopes, security } from "../../src/index.ts";
import { TestClient } from "../../src/testing/index.ts";

/**
 * A yield dependency reached both under `security(currentUser, ["read"])` and directly ran twice
 * per request (its cache key included the inherited scopes it never reads): two pool sessions per
 * request, FastAPI's scopes-tutorial deadlock at 50 concurrent requests with a pool of 10.
 */
describe("a dependency that never reads the scopes runs once per request", () => {
  class Pool {
    open = 0;
    opened = 0;
    acquire() {
      this.open++;
      this.opened++;
      return { release: () => void this.open-- };
    }
  }

  function build(pool: Pool) {
    const oauth2 = OAuth2PasswordBearer({ tokenUrl: "token", scopes: { read: "Read items" } });
    const getDb = depends(async function* () {
      const session = pool.acquire();
      try {
        yield session;
      } finally {
        session.release();
      }
    });
    const currentUser = depends({ deps: { token: oauth2, db: getDb } }, ({ token, securityScopes }) => {
      requireScopes(securityScopes, token === "reader" ? ["read"] : []);
      return { name: token };
    });
    const app = new Velox({ logger: false });
    app.get("/items", { deps: { user: security(currentUser, ["read"]), db: getDb } }, ({ user }) => ({ user: user.name }));
    return app;
  }

  it("opens one session per request and releases it", async () => {
    const pool = new Pool();
    const client = new TestClient(build(pool));
    for (let i = 0; i < 3; i++) {
      const res = await client.get("/items", { headers: { authorization: "Bearer reader" } });
      expect(res.json()).toEqual({ user: "reader" });
    }
    await new Promise((r) => setImmediate(r));
    expect(pool.opened).toBe(3);
    expect(pool.open).toBe(0);
  });

  it("still checks the scopes it is required with", async () => {
    const res = await new TestClient(build(new Pool())).get("/items", { headers: { authorization: "Bearer guest" } });
    expect(res.status).toBe(401);
    expect(res.headers["www-authenticate"]).toBe('Bearer scope="read"');
  });

  it("holds a pool of 10 at 50 concurrent requests", async () => {
    const pool = new Pool();
    const client = new TestClient(build(pool));
    let peak = 0;
    const acquire = pool.acquire.bind(pool);
    pool.acquire = () => {
      const session = acquire();
      peak = Math.max(peak, pool.open);
      return session;
    };
    const answers = await Promise.all(Array.from({ length: 50 }, () => client.get("/items", { headers: { authorization: "Bearer reader" } })));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    expect(pool.opened).toBe(50);
    expect(peak).toBeLessThanOrEqual(50);
  });
});
