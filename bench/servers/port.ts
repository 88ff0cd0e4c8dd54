/** Port for a contract server: `--port N` wins over `PORT`, then 3000. */
export function serverPort(argv: readonly string[] = process.argv, env = process.env): number {
  const i = argv.indexOf("--port");
  const raw = i >= 0 ? argv[i + 1] : env.PORT;
  const port = raw === undefined ? 3000 : Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`invalid port: ${raw}`);
  return port;
}

export const HOST = "127.0.0.1";
