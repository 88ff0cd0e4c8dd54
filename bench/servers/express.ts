/** Express 5 with zod validation by hand (Express has no schema layer of its own). */
import express, { type NextFunction, type Request, type Response } from "express";
import { HELLO, makeUser } from "./fixtures.ts";
import { HOST, serverPort } from "./port.ts";
import { ItemIn, UserParams, UserQuery } from "./zod-schemas.ts";

const app = express();
let nextId = 1;

app.get("/json", (_req, res) => {
  res.json(HELLO);
});

app.get("/users/:id", (req, res) => {
  const params = UserParams.safeParse(req.params);
  if (!params.success) return void res.status(422).json({ detail: params.error.issues });
  const query = UserQuery.safeParse(req.query);
  if (!query.success) return void res.status(422).json({ detail: query.error.issues });
  res.json(makeUser(params.data.id, query.data.fields));
});

app.post("/items", express.json(), (req, res) => {
  const body = ItemIn.safeParse(req.body);
  if (!body.success) return void res.status(422).json({ detail: body.error.issues });
  res.status(201).json({ id: nextId++, ...body.data });
});

// express.json() raises a 400 for a malformed body; FastAPI calls that a 422.
app.use((err: { status?: number; type?: string }, _req: Request, res: Response, next: NextFunction) => {
  if (err.status === 400 && err.type === "entity.parse.failed") return void res.status(422).json({ detail: "invalid JSON" });
  next(err);
});

app.listen(serverPort(), HOST);
