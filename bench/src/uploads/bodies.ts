/** The request bodies of the upload rows, built once per run. */
import { createHash } from "node:crypto";

export const UPLOAD_BOUNDARY = "----velox-bench-7MA4YWxkTrZu0gW";
export const UPLOAD_CONTENT_TYPE = `multipart/form-data; boundary=${UPLOAD_BOUNDARY}`;

/** Deterministic, not all-zero content (so no layer can take a shortcut on it). */
export function fileContent(bytes: number): Buffer {
  const out = Buffer.alloc(bytes);
  let x = 0x9e3779b9;
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** Workload 6's form: two text fields and a file, with the answer every server must give. */
export function uploadForm(fileBytes = 64 * 1024): { body: Buffer; expected: Record<string, unknown> } {
  const content = fileContent(fileBytes);
  const name = "Quarterly report";
  const description = "Figures for the third quarter, as uploaded by the finance team.";
  const body = Buffer.concat([
    Buffer.from(
      `--${UPLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n\r\n${name}\r\n` +
      `--${UPLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name="description"\r\n\r\n${description}\r\n` +
      `--${UPLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="report.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    ),
    content,
    Buffer.from(`\r\n--${UPLOAD_BOUNDARY}--\r\n`),
  ]);
  const sha256 = createHash("sha256").update(content).digest("hex");
  return { body, expected: { name, description, size: fileBytes, sha256 } };
}

/** The same form without its file: every server must answer 422. */
export function uploadFormWithoutFile(): Buffer {
  return Buffer.from(`--${UPLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--${UPLOAD_BOUNDARY}--\r\n`);
}

/** The head and tail around a streamed file of any size (the 1 GiB row). */
export function streamFraming(): { head: Buffer; tail: Buffer } {
  return {
    head: Buffer.from(`--${UPLOAD_BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    tail: Buffer.from(`\r\n--${UPLOAD_BOUNDARY}--\r\n`),
  };
}
