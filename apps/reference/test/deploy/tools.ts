/**
 * The Debian tools the deploy tests drive, found once: a missing one skips its suite with a warning,
 * or fails it under VELOX_REQUIRE_SERVICES=1 (as CI runs).
 */
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const DEPLOY = fileURLToPath(new URL("../../deploy", import.meta.url));
export const APP_DIR = fileURLToPath(new URL("../..", import.meta.url));
export const NGINX = "/usr/sbin/nginx";

const REQUIRED = process.env.VELOX_REQUIRE_SERVICES === "1";

/** True when `command args` runs; otherwise a warning, or an error when tools are required. */
export function hasTool(command: string, args: string[], install: string): boolean {
  const ok = spawnSync(command, args, { stdio: "ignore" }).status === 0;
  if (!ok && REQUIRED) throw new Error(`${command} is missing (VELOX_REQUIRE_SERVICES=1): ${install}`);
  if (!ok) console.warn(`[velox-reference] ${command} is missing: its deploy checks are SKIPPED (${install}).`);
  return ok;
}

/** A file of deploy/, as text. */
export function deployFile(path: string): string {
  return readFileSync(`${DEPLOY}/${path}`, "utf8");
}

/**
 * deploy/nginx.conf with its upstream servers and listen port replaced (the marked blocks), and
 * access logging to a file of `dir`: the production file, runnable on loopback.
 */
export function renderNginxConf(options: { listenPort: number; upstreamPorts: readonly number[]; accessLog: string }): string {
  const conf = deployFile("nginx.conf");
  const servers = options.upstreamPorts.map((p) => `        server 127.0.0.1:${p} max_fails=1 fail_timeout=2s;`).join("\n");
  const rendered = conf
    .replace(/(# upstream-servers:begin\n)[\s\S]*?(\s*# upstream-servers:end)/, `$1${servers}$2`)
    .replace(/(# listen:begin\n)[\s\S]*?(\s*# listen:end)/, `$1        listen 127.0.0.1:${options.listenPort};$2`)
    .replace("access_log /dev/stdout;", `access_log ${options.accessLog};`);
  if (rendered.includes("server app:8000") || !rendered.includes(`listen 127.0.0.1:${options.listenPort};`)) {
    throw new Error("deploy/nginx.conf lost its upstream-servers/listen markers");
  }
  return rendered;
}

/** `nginx -t` arguments for a prefix directory (never the system's nginx, pid or logs). */
export function nginxArgs(dir: string, conf: string, extra = ""): string[] {
  return ["-p", dir, "-c", conf, "-g", `pid ${dir}/nginx.pid; error_log ${dir}/error.log;${extra}`];
}
