/** A streaming HTTP client for tests: reads SSE events and JSON lines as they arrive. */

/** One parsed event, as an `EventSource` would dispatch it (comments kept for tests). */
export interface ParsedEvent {
  event?: string;
  data?: string;
  id?: string;
  retry?: number;
  comments: string[];
}

/** Parses a complete `text/event-stream` text into events (blank lines end events). */
export function parseEvents(text: string): ParsedEvent[] {
  const events: ParsedEvent[] = [];
  let current: ParsedEvent = { comments: [] };
  let touched = false;
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === "") {
      if (touched) events.push(current);
      current = { comments: [] };
      touched = false;
      continue;
    }
    touched = true;
    if (line.startsWith(":")) {
      current.comments.push(line.slice(1).trimStart());
      continue;
    }
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "data") current.data = current.data === undefined ? value : `${current.data}\n${value}`;
    else if (field === "event") current.event = value;
    else if (field === "id") current.id = value;
    else if (field === "retry") current.retry = Number(value);
  }
  return events;
}

/** An open streaming response: its status and headers, and the text received so far. */
export class OpenStream {
  text = "";
  ended = false;
  /** True when the body ended with an error (cut by the server or aborted), not a clean end. */
  cut = false;
  private waiters: (() => void)[] = [];

  constructor(readonly response: Response, private readonly controller: AbortController) {
    void this.pump();
  }

  static async open(url: string, init: RequestInit = {}): Promise<OpenStream> {
    const controller = new AbortController();
    const response = await fetch(url, { ...init, signal: controller.signal });
    return new OpenStream(response, controller);
  }

  private async pump(): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of this.response.body as unknown as AsyncIterable<Uint8Array>) {
        this.text += decoder.decode(chunk, { stream: true });
        this.wake();
      }
    } catch {
      this.cut = true;
    }
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Waits until `check(text)` holds. */
  async until(check: (text: string) => boolean, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check(this.text)) {
      if (this.ended) throw new Error(`stream ended before the condition held; received ${JSON.stringify(this.text)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received ${JSON.stringify(this.text)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for the server to end the body. */
  async end(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error(`the stream did not end; received ${JSON.stringify(this.text)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  events(): ParsedEvent[] {
    return parseEvents(this.text);
  }

  /** Drops the connection, as a browser tab closing would. */
  close(): void {
    this.controller.abort();
  }
}
