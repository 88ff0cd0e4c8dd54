import { z } from "zod";
import { depends, Velox } from "velox";

/** Where "sent" mails go in this example; a real app would call its mail service. */
export const outbox: string[] = [];

async function sendMail(to: string, subject: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 10));
  outbox.push(`${to}: ${subject}`);
}

/** A dependency can queue work too; it runs after the route's own tasks were queued... in order of adding. */
const auditLog = depends({ headers: { x_user: z.string().default("anonymous") } }, ({ headers, background }) => {
  background.add((user: string) => void outbox.push(`audit: ${user} signed someone up`), headers.x_user);
});

export const app = new Velox({ title: "Background tasks example" });

app.post("/signup", { body: z.object({ email: z.email() }), status: 202, dependencies: [auditLog] }, ({ body, background }) => {
  background.add(sendMail, body.email, "Welcome!");
  return { message: "Signed up; a welcome mail is on its way" };
});
