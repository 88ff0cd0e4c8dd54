/** Streams one large multipart upload to a server and watches the server's memory meanwhile. */
import { request } from "node:http";
import { fileContent, streamFraming, UPLOAD_CONTENT_TYPE } from "./bodies.ts";

export interface StreamResult {
  /** Payload megabytes (10^6) per second, from the first byte sent to the response. */
  mbPerS: number;
  seconds: number;
  /** Server RSS just before the upload, and its highest reading during it (MiB). */
  rssBeforeMiB: number;
  rssPeakMiB: number;
  /** The size the server reported. */
  reportedSize: number;
}

const CHUNK = fileContent(1024 * 1024);

/**
 * Sends a `sizeBytes` file as `multipart/form-data` in 1 MiB writes with backpressure, sampling
 * the server's RSS every 20 ms through `rss()`.
 */
export function streamUpload(url: string, sizeBytes: number, rss: () => number | null): Promise<StreamResult> {
  const { head, tail } = streamFraming();
  const rssBeforeMiB = rss() ?? Number.NaN;
  let rssPeakMiB = rssBeforeMiB;
  const sampler = setInterval(() => {
    const now = rss();
    if (now !== null && now > rssPeakMiB) rssPeakMiB = now;
  }, 20);
  const started = process.hrtime.bigint();
  return new Promise<StreamResult>((resolve, reject) => {
    const req = request(url, {
      method: "POST",
      // A fresh connection each time: a kept-alive one may have been closed by the server meanwhile.
      agent: false,
      headers: { "content-type": UPLOAD_CONTENT_TYPE, "content-length": head.length + sizeBytes + tail.length },
    }, (res) => {
      const parts: Buffer[] = [];
      res.on("data", (c: Buffer) => parts.push(c));
      res.on("end", () => {
        clearInterval(sampler);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const text = Buffer.concat(parts).toString("utf8");
        if (res.statusCode !== 200) return reject(new Error(`${url} answered ${res.statusCode}: ${text}`));
        resolve({ mbPerS: sizeBytes / 1e6 / seconds, seconds, rssBeforeMiB, rssPeakMiB, reportedSize: (JSON.parse(text) as { size: number }).size });
      });
    });
    req.on("error", (err) => {
      clearInterval(sampler);
      reject(err);
    });
    let sent = 0;
    const pump = () => {
      while (sent < sizeBytes) {
        const n = Math.min(CHUNK.length, sizeBytes - sent);
        sent += n;
        if (!req.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) return void req.once("drain", pump);
      }
      req.end(tail);
    };
    req.write(head);
    pump();
  });
}
