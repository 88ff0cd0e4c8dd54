import { z } from "zod";
import { depends, HTTPException, Router, security, Velox } from "velox";

/** A fake connection pool: one per app, closed at shutdown (scope "app"). */
export const pool = depends({ scope: "app" }, async function* () {
  const state = { open: true, borrowed: 0 };
  try {
    yield state;
  } finally {
    state.open = false;
  }
});

/** A connection per request, returned to the pool after the response (yield-style cleanup). */
export const connection = depends({ deps: { pool } }, async function* ({ pool }) {
  pool.borrowed++;
  try {
    yield { query: (sql: string) => `result of ${sql}` };
  } finally {
    pool.borrowed--;
  }
});

/** Pagination parameters shared by many routes: they join each route's validation and docs. */
export const pagination = depends(
  { query: { page: z.int().min(1).default(1), size: z.int().min(1).max(100).default(20) } },
  ({ query }) => ({ offset: (query.page - 1) * query.size, limit: query.size }),
);

/** An auth dependency that reads the scopes each route requires. */
export const currentUser = depends({ headers: { x_user: z.string().optional() } }, ({ headers, securityScopes }) => {
  if (!headers.x_user) throw new HTTPException(401, "Not authenticated", { "www-authenticate": "Bearer" });
  const granted = headers.x_user === "admin" ? ["items:read", "items:write"] : ["items:read"];
  for (const scope of securityScopes.scopes) {
    if (!granted.includes(scope)) throw new HTTPException(403, "Not enough permissions");
  }
  return { name: headers.x_user, scopes: granted };
});

export const app = new Velox({ title: "Dependencies example" });
const items = new Router({ prefix: "/items", tags: ["items"] });

items.get("/", { deps: { page: pagination, db: connection, user: security(currentUser, ["items:read"]) } }, ({ page, db, user }) => ({
  user: user.name,
  page,
  rows: db.query(`SELECT * FROM items LIMIT ${page.limit} OFFSET ${page.offset}`),
}));

items.delete("/{id}", { path: { id: z.int() }, deps: { user: security(currentUser, ["items:write"]) }, status: 204 }, () => undefined);

app.include(items);
