/**
 * The upload workloads (shared/bench-workloads.md, workload 6), identical for every server:
 * - `POST /upload`: multipart/form-data with text fields `name` (1–100 chars) and `description`
 *   (≤ 1000 chars) and a file `file`; the file is written to a temp file and the answer is
 *   `{ name, description, size, sha256 }` (201). A missing field is a 422.
 * - `POST /stream`: one file `file` of any size, streamed to a temp file; the answer is `{ size }`.
 * - `GET /json`: readiness.
 */
export const NAME_MAX = 100;
export const DESCRIPTION_MAX = 1000;
/** The cap each server sets for `/stream` (the 1 GiB row). */
export const STREAM_MAX = 2 * 1024 * 1024 * 1024;
