import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

/** One message the sink received, decoded enough for assertions. */
export interface ReceivedMail {
  from: string;
  to: string[];
  subject: string;
  /** The text body (quoted-printable decoded). */
  text: string;
  raw: string;
}

function decodeQuotedPrintable(body: string): string {
  return body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

function parse(raw: string, from: string, to: string[]): ReceivedMail {
  const split = raw.indexOf("\r\n\r\n");
  const head = raw.slice(0, split).replace(/\r\n[ \t]+/g, " ");
  const body = raw.slice(split + 4);
  const header = (name: string) => new RegExp(`^${name}: (.*)$`, "im").exec(head)?.[1]?.trim() ?? "";
  const qp = /quoted-printable/i.test(header("Content-Transfer-Encoding"));
  return { from, to, subject: header("Subject"), text: qp ? decodeQuotedPrintable(body) : body, raw };
}

/**
 * A real SMTP server on a free loopback port that keeps what it receives (tests only). Setting
 * `refuseWith` makes it answer that code to every message: 451 as a server in trouble would
 * (try again later), 550 as for a mailbox that does not exist (do not retry).
 *
 * @example
 * ```ts
 * const sink = await startSmtpSink();
 * process.env.SMTP_URL = sink.url;
 * await sink.waitFor((m) => m.to.includes("ada@example.com"));
 * await sink.close();
 * ```
 */
export async function startSmtpSink(): Promise<{
  url: string;
  messages: ReceivedMail[];
  refuseWith: number | null;
  waitFor(test: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}> {
  const messages: ReceivedMail[] = [];
  const state: { refuseWith: number | null } = { refuseWith: null };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        if (state.refuseWith !== null) {
          const text = state.refuseWith >= 500 ? "Mailbox unavailable" : "Mailbox temporarily unavailable";
          callback(Object.assign(new Error(text), { responseCode: state.refuseWith }));
          return;
        }
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : "";
        messages.push(parse(Buffer.concat(chunks).toString("utf8"), from, session.envelope.rcptTo.map((r) => r.address)));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get refuseWith() {
      return state.refuseWith;
    },
    set refuseWith(value: number | null) {
      state.refuseWith = value;
    },
    async waitFor(test, timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        const found = messages.find(test);
        if (found) return found;
        if (Date.now() > end) throw new Error(`no matching e-mail within ${timeoutMs} ms (got ${messages.length})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
