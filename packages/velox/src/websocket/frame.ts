import * as ws from "ws";

/** A message encoded once for many connections: the whole frame, and its payload for the fallback path. */
export interface PreparedFrame {
  readonly frame: Buffer;
  readonly payload: Buffer;
  readonly binary: boolean;
}

interface SenderStatics {
  frame(data: Buffer, options: { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean }): Buffer[];
}

// Typed here: @types/ws does not declare the Sender export.
const Sender = (ws as unknown as { Sender: SenderStatics }).Sender;

/**
 * Frames a message once with `ws`'s own framing (unmasked, as servers send): a broadcast then
 * writes the same bytes to every socket instead of serializing, framing and copying per client.
 *
 * @example
 * ```ts
 * const prepared = prepareFrame(Buffer.from(JSON.stringify(event)), false);
 * for (const socket of room) socket._writeFrame(prepared);
 * ```
 */
export function prepareFrame(payload: Buffer | string, binary = false): PreparedFrame {
  return new Prepared(typeof payload === "string" ? Buffer.from(payload) : payload, binary);
}

// Framed on first use: on Bun the runtime frames the payload itself (and its `ws` stand-in has no Sender).
class Prepared implements PreparedFrame {
  private framed: Buffer | null = null;
  constructor(
    readonly payload: Buffer,
    readonly binary: boolean,
  ) {}

  get frame(): Buffer {
    if (this.framed === null) {
      const parts = Sender.frame(this.payload, { fin: true, rsv1: false, opcode: this.binary ? 2 : 1, mask: false, readOnly: false });
      this.framed = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    }
    return this.framed;
  }
}

interface Corkable {
  cork(): void;
  uncork(): void;
}

const CORKED = Symbol("velox.corked");
let corked: (Corkable & { [CORKED]?: boolean })[] | null = null;

function uncorkAll(): void {
  const list = corked!;
  corked = null;
  for (const socket of list) {
    socket[CORKED] = false;
    socket.uncork();
  }
}

/**
 * Corks a TCP socket until the current event-loop phase ends (`setImmediate`), so the frames of
 * every broadcast made while handling one batch of I/O (a burst from a publisher, presence plus
 * message) leave in one `writev` instead of one system call each — the send loop's real cost
 * once the payload is encoded once. A lone message waits no longer than the rest of the phase.
 *
 * @example
 * ```ts
 * corkForTick(socket);
 * socket.write(frameA);
 * socket.write(frameB); // both flushed together after this tick
 * ```
 */
export function corkForTick(socket: Corkable): void {
  const s = socket as Corkable & { [CORKED]?: boolean };
  if (s[CORKED] === true) return;
  s[CORKED] = true;
  s.cork();
  if (corked === null) {
    corked = [];
    setImmediate(uncorkAll);
  }
  corked.push(s);
}
