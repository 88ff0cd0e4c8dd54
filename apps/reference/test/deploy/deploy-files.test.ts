/**
 * deploy/ checked by real tools: the Dockerfile parsed by dockerfile-ast, `docker-compose config`
 * (Debian's docker-compose, no engine needed), `nginx -t` (Debian's nginx), `promtool check
 * config`, the Kubernetes manifests against the Kubernetes schemas (kubernetes-models), and the
 * values that must agree across files (ports, probe paths, drain deadline, settings names).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { DockerfileParser, type Instruction } from "dockerfile-ast";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { createLogger } from "velox/logging";
import { resolveServeOptions } from "velox/server";
import { afterAll, describe, expect, it, onTestFinished } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { AVATAR_MAX_BYTES } from "../../src/avatars/avatar-store.ts";
import { loadSettings, SETTINGS_VARIABLES } from "../../src/settings.ts";
import { buildApp, removeBuild } from "./processes.ts";
import { APP_DIR, DEPLOY, deployFile, hasTool, NGINX, nginxArgs, renderNginxConf } from "./tools.ts";

const REPO = resolve(APP_DIR, "../..");
const scratch = mkdtempSync(join(tmpdir(), "velox-deploy-files-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("Dockerfile", () => {
  const dockerfile = DockerfileParser.parse(deployFile("Dockerfile"));
  const stages = dockerfile.getFROMs();
  const runtimeStart = stages.at(-1)!.getRange().start.line;
  const runtime = dockerfile.getInstructions().filter((i) => i.getRange().start.line >= runtimeStart);
  const of = (list: Instruction[], keyword: string) => list.filter((i) => i.getKeyword() === keyword);
  const text = (i: Instruction) => i.getArgumentsContent() ?? "";
  /** The whole instruction, flags included. */
  const full = (i: Instruction) => i.getTextContent();

  it("is multi-stage: named stages, and every COPY --from names an earlier one", () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const names = stages.map((s) => s.getBuildStage());
    expect(names.every((n) => n !== null)).toBe(true);
    for (const copy of of(dockerfile.getInstructions(), "COPY")) {
      const from = /--from=(\S+)/.exec(full(copy))?.[1];
      if (from !== undefined) expect(names.slice(0, names.indexOf(stages.findLast((s) => s.getRange().start.line < copy.getRange().start.line)!.getBuildStage()))).toContain(from);
    }
  });

  it("installs with npm ci only, production dependencies for the runtime", () => {
    const runs = of(dockerfile.getInstructions(), "RUN").map(text);
    expect(runs.filter((r) => /\bnpm\s+(install|i|add)\b/.test(r))).toEqual([]);
    expect(runs.some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    // The runtime's node_modules come from the stage that ran `npm ci --omit=dev`.
    const prodStage = stages.find((s) => of(dockerfile.getInstructions(), "RUN").some((r) => r.getRange().start.line > s.getRange().start.line && /--omit=dev/.test(text(r)) && stages.filter((x) => x.getRange().start.line < r.getRange().start.line).at(-1) === s))!;
    expect(of(runtime, "COPY").map(full)).toContainEqual(expect.stringMatching(new RegExp(`--from=${prodStage.getBuildStage()}\\b.*node_modules`)));
  });

  it("runs compiled JavaScript with node, built by the app's build script, no TypeScript loader", () => {
    const cmd = of(runtime, "CMD")[0]!;
    expect(JSON.parse(text(cmd))).toEqual(["node", "dist/main.js"]);
    expect(runtime.map(text).join("\n")).not.toMatch(/tsx|ts-node|--import|--loader|\.ts\b/);
    const pkg = JSON.parse(readFileSync(join(APP_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> };
    expect(pkg.scripts["start:prod"]).toBe("node dist/main.js");
    expect(of(dockerfile.getInstructions(), "RUN").map(text)).toContain("npm run build -w apps/reference");
    expect(existsSync(join(APP_DIR, pkg.scripts.build!.split(" ")[1]!))).toBe(true);
  });

  it("runs as a non-root user, with a HEALTHCHECK on /health and STOPSIGNAL SIGTERM", () => {
    const users = of(runtime, "USER").map(text);
    expect(users).toHaveLength(1);
    expect(users[0]).not.toMatch(/^(root|0)(:|$)/);
    const healthchecks = dockerfile.getHEALTHCHECKs();
    expect(healthchecks).toHaveLength(1);
    expect(text(healthchecks[0]!)).toMatch(/CMD .*\/health/);
    expect(of(runtime, "STOPSIGNAL").map(text)).toEqual(["SIGTERM"]);
    expect(of(runtime, "EXPOSE").map(text)).toEqual(["8000"]);
  });

  it("copies only what exists, and the .dockerignore keeps secrets and build output out of the context", () => {
    for (const copy of of(dockerfile.getInstructions(), "COPY").filter((c) => !/--from=/.test(full(c)))) {
      const sources = text(copy).split(/\s+/).slice(0, -1);
      for (const source of sources) expect(existsSync(join(REPO, source)), source).toBe(true);
    }
    const ignore = readFileSync(join(REPO, ".dockerignore"), "utf8").split("\n").map((l) => l.trim());
    for (const entry of ["**/node_modules", "**/dist", "**/.env", ".git", "apps/reference/data"]) expect(ignore).toContain(entry);
    for (const needed of ["package-lock.json", "packages", "apps", "apps/reference/static"]) expect(ignore).not.toContain(needed);
  });
});

describe("the compiled app (what the image runs from dist/)", () => {
  it("imports only packages that `npm ci --omit=dev` installs, resolved from beside node_modules as Node will", () => {
    const build = buildApp();
    onTestFinished(() => removeBuild(build));
    const lock = (JSON.parse(readFileSync(join(REPO, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean; devOptional?: boolean }> }).packages;
    const files = readdirSync(join(APP_DIR, build), { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".js"));
    const code = files.map((f) => readFileSync(join(APP_DIR, build, f), "utf8")).join("\n");
    expect(code).not.toMatch(/from "velox(\/[^"]*)?"/); // velox itself is bundled
    const bare = new Set([...code.matchAll(/(?:from|import\()\s*"((?:@[\w.-]+\/)?[\w-][\w.-]*(?:\/[\w./-]+)?)"/g)].map((m) => m[1]!).filter((s) => !s.startsWith("node:") && !s.startsWith("bun:")));
    const packageOf = (specifier: string) => specifier.split("/").slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
    // Read through createRequire at run time rather than imported: the docs UIs' assets.
    const assets = ["swagger-ui-dist", "redoc"];
    const devOnly: string[] = [];
    for (const pkg of new Set([...[...bare].map(packageOf), ...assets])) {
      // Node looks in apps/reference/node_modules first, then the hoisted root.
      const entry = lock[`apps/reference/node_modules/${pkg}`] ?? lock[`node_modules/${pkg}`];
      if (entry === undefined || entry.dev === true || entry.devOptional === true) devOnly.push(pkg);
    }
    expect(bare.size).toBeGreaterThan(10);
    expect(devOnly).toEqual([]);
  });
});

describe.skipIf(!hasTool("docker-compose", ["version"], "apt-get install -y docker-compose"))("docker-compose.yml", () => {
  const run = (env: Record<string, string | undefined>) =>
    spawnSync("docker-compose", ["-f", join(DEPLOY, "docker-compose.yml"), "config"], { env: { PATH: process.env.PATH, ...env }, encoding: "utf8" });

  it("passes `docker-compose config`, with the seed's services plus nginx, Prometheus and Grafana", () => {
    const result = run({ JWT_SECRET: "s".repeat(48) });
    expect(result.stderr).not.toMatch(/ERROR/);
    expect(result.status).toBe(0);
    const config = parse(result.stdout) as { services: Record<string, any> };
    expect(Object.keys(config.services).sort()).toEqual(["app", "grafana", "nginx", "postgres", "prometheus", "redis"]);
    const app = config.services.app;
    expect(app.environment).toMatchObject({ DATABASE_URL: expect.stringMatching(/^postgres:\/\/.*@postgres:5432\//), REDIS_URL: "redis://redis:6379", TRUST_PROXY: "1" });
    for (const name of Object.keys(app.environment)) expect(SETTINGS_VARIABLES).toContain(name);
    expect(loadSettings({ envFile: false, env: app.environment, warn: () => undefined }).nodeEnv).toBe("production");
    expect(app.depends_on).toMatchObject({ postgres: { condition: "service_healthy" }, redis: { condition: "service_healthy" } });
    expect(app.build.dockerfile).toBe("apps/reference/deploy/Dockerfile");
    expect(resolve(app.build.context)).toBe(REPO);
    // docker stop waits longer than the drain deadline before SIGKILL.
    expect(Number.parseInt(app.stop_grace_period, 10) * 1000).toBeGreaterThan(Number(app.environment.SHUTDOWN_TIMEOUT_MS));
    // Every file mounted from the repository exists.
    for (const service of Object.values(config.services)) {
      for (const volume of (service.volumes ?? []) as Array<{ type: string; source: string }>) {
        if (volume.type === "bind") expect(existsSync(volume.source), volume.source).toBe(true);
      }
    }
  });

  it("refuses to render without JWT_SECRET", () => {
    const result = run({});
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/JWT_SECRET/);
  });
});

describe.skipIf(!hasTool(NGINX, ["-v"], "apt-get install -y nginx"))("nginx.conf", () => {
  const conf = deployFile("nginx.conf");

  it("passes `nginx -t` once its upstreams point somewhere", () => {
    const path = join(scratch, "nginx.conf");
    writeFileSync(path, renderNginxConf({ listenPort: 18080, upstreamPorts: [18001, 18002], accessLog: join(scratch, "access.log") }));
    const result = spawnSync(NGINX, ["-t", ...nginxArgs(scratch, path)], { encoding: "utf8" });
    expect(result.stderr).toContain("test is successful");
  });

  it("fails `nginx -t` when broken (the check can fail)", () => {
    const path = join(scratch, "broken.conf");
    writeFileSync(path, renderNginxConf({ listenPort: 18080, upstreamPorts: [18001], accessLog: join(scratch, "access.log") }).replace("keepalive 64;", "keepalive;"));
    expect(spawnSync(NGINX, ["-t", ...nginxArgs(scratch, path)], { encoding: "utf8" }).status).not.toBe(0);
  });

  it("sizes bodies as the app does, upgrades /ws/, does not buffer SSE, and sets X-Forwarded-*", () => {
    const mib = (value: string) => Number.parseInt(value, 10) * 1024 * 1024;
    const sizes = [...conf.matchAll(/client_max_body_size (\d+m);/g)].map((m) => mib(m[1]!));
    expect(sizes[0]).toBe(1024 * 1024); // velox's JSON body limit
    const avatar = /location = \/users\/me\/avatar \{[^}]*client_max_body_size (\d+m);/.exec(conf)!;
    expect(mib(avatar[1]!)).toBeGreaterThan(AVATAR_MAX_BYTES);
    expect(mib(avatar[1]!)).toBeLessThanOrEqual(2 * AVATAR_MAX_BYTES);
    expect(conf).toMatch(/location \/ws\/ \{[^}]*proxy_set_header Upgrade \$http_upgrade;[^}]*proxy_set_header Connection \$connection_upgrade;/);
    expect(conf).toMatch(/location = \/items\/events \{[^}]*proxy_buffering off;/);
    expect(conf).toMatch(/upstream velox \{[^}]*keepalive \d+;/);
    for (const header of ["X-Forwarded-For", "X-Forwarded-Proto", "X-Forwarded-Host"]) expect(conf).toContain(`proxy_set_header ${header} `);
    // nginx closes idle upstream connections before the app does.
    const nginxIdle = Number(/keepalive_timeout (\d+)s;/.exec(conf)![1]) * 1000;
    expect(nginxIdle).toBeLessThan(resolveServeOptions({}, createLogger({ level: "silent" })).keepAliveTimeout);
  });
});

describe.skipIf(!hasTool("promtool", ["--version"], "apt-get install -y prometheus"))("prometheus.yml", () => {
  it("passes `promtool check config` with the observability alert rules mounted beside it, as compose does", () => {
    copyFileSync(join(DEPLOY, "prometheus/prometheus.yml"), join(scratch, "prometheus.yml"));
    copyFileSync(join(DEPLOY, "observability/prometheus/alerts.yml"), join(scratch, "alerts.yml"));
    const out = execFileSync("promtool", ["check", "config", join(scratch, "prometheus.yml")], { encoding: "utf8" });
    expect(out).toMatch(/SUCCESS: 1 rule files found/);
    expect(out).toMatch(/SUCCESS: \d+ rules found/);
    const config = parse(deployFile("prometheus/prometheus.yml")) as { scrape_configs: Array<{ metrics_path: string; dns_sd_configs: Array<{ port: number }> }> };
    expect(config.scrape_configs[0]).toMatchObject({ metrics_path: "/metrics", dns_sd_configs: [{ port: 8000 }] });
    expect(deployFile("docker-compose.yml")).toContain("./observability/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro");
  });
});

describe("Kubernetes manifests", () => {
  const docs = (file: string) => parseAllDocuments(deployFile(`kubernetes/${file}`)).map((d) => d.toJS());
  const [deploymentDoc] = docs("deployment.yaml");
  const [configDoc] = docs("configmap.yaml");
  const [secretDoc] = docs("secret.yaml");
  const deployment = new Deployment(deploymentDoc);
  const configMap = new ConfigMap(configDoc);
  const container = deployment.spec!.template.spec!.containers[0]!;
  const podLabels = deployment.spec!.template.metadata!.labels!;

  it("validate against the Kubernetes schemas", () => {
    deployment.validate();
    configMap.validate();
    new Secret(secretDoc).validate();
    new Service(docs("service.yaml")[0]).validate();
    new HorizontalPodAutoscaler(docs("hpa.yaml")[0]).validate();
    new PodDisruptionBudget(docs("pdb.yaml")[0]).validate();
    new PersistentVolumeClaim(docs("pvc.yaml")[0]).validate();
    // The validation can fail: a probe without a port is refused.
    const broken = structuredClone(deploymentDoc);
    delete broken.spec.template.spec.containers[0].readinessProbe.httpGet.port;
    expect(() => new Deployment(broken).validate()).toThrow();
  });

  it("probe the app's built-in endpoints on the port it listens on", () => {
    const serve = resolveServeOptions({}, createLogger({ level: "silent" }));
    expect(container.readinessProbe!.httpGet!.path).toBe(serve.readyPath);
    expect(container.livenessProbe!.httpGet!.path).toBe(serve.healthPath);
    expect(container.startupProbe!.httpGet!.path).toBe(serve.healthPath);
    // main.ts keeps serve()'s default probe paths.
    expect(readFileSync(join(APP_DIR, "src/main.ts"), "utf8")).not.toMatch(/healthPath|readyPath/);
    const port = container.ports!.find((p) => p.name === "http")!;
    expect(port.containerPort).toBe(Number(configMap.data!.PORT));
    expect(deployFile("Dockerfile")).toContain(`EXPOSE ${port.containerPort}`);
    for (const probe of [container.readinessProbe!, container.livenessProbe!]) expect(probe.httpGet!.port).toBe("http");
    const service = new Service(docs("service.yaml")[0]);
    expect(service.spec!.ports![0]!.targetPort).toBe("http");
    expect(service.spec!.selector).toEqual(podLabels);
  });

  it("give the drain its deadline: terminationGracePeriodSeconds > preStop + SHUTDOWN_TIMEOUT_MS", () => {
    const preStop = container.lifecycle!.preStop!.exec!.command!;
    expect(preStop[0]).toBe("sleep");
    const drainMs = Number(configMap.data!.SHUTDOWN_TIMEOUT_MS);
    expect(deployment.spec!.template.spec!.terminationGracePeriodSeconds! * 1000).toBeGreaterThan(Number(preStop[1]) * 1000 + drainMs);
    expect(deployment.spec!.strategy).toMatchObject({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0 } });
  });

  it("run as the image's non-root user, read-only, with resources", () => {
    const pod = deployment.spec!.template.spec!.securityContext!;
    expect(pod).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
    expect(deployFile("Dockerfile")).toMatch(/^USER node$/m); // uid 1000 in the node images
    expect(container.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } });
    expect(container.resources!.requests).toMatchObject({ cpu: expect.any(String), memory: expect.any(String) });
    expect(container.resources!.limits).toMatchObject({ memory: expect.any(String) });
    const mounts = container.volumeMounts!.map((m) => m.mountPath);
    expect(mounts).toContain("/tmp");
    expect(configMap.data!.AVATAR_DIR!.startsWith("/data/")).toBe(true);
    expect(mounts).toContain("/data");
  });

  it("scale on CPU and request rate, keep one pod through disruptions, and target this Deployment", () => {
    const hpa = new HorizontalPodAutoscaler(docs("hpa.yaml")[0]);
    expect(hpa.spec!.scaleTargetRef).toMatchObject({ kind: "Deployment", name: deployment.metadata!.name });
    const types = hpa.spec!.metrics!.map((m) => (m.type === "Resource" ? `cpu:${m.resource!.name}` : `pods:${m.pods!.metric.name}`));
    expect(types).toEqual(["cpu:cpu", "pods:http_requests_per_second"]);
    expect(hpa.spec!.minReplicas).toBeGreaterThanOrEqual(2);
    const pdb = new PodDisruptionBudget(docs("pdb.yaml")[0]);
    expect(pdb.spec!.selector!.matchLabels).toEqual(podLabels);
    expect(pdb.spec!.minAvailable).toBeLessThan(hpa.spec!.minReplicas!);
  });

  it("configure only settings the app reads, and load in production once the Secret holds real values", () => {
    const secret = new Secret(secretDoc);
    const env = { ...configMap.data, ...secret.stringData };
    for (const name of Object.keys(env)) expect(SETTINGS_VARIABLES).toContain(name);
    expect(Object.values(secret.stringData!)).toEqual(["REPLACE_ME", "REPLACE_ME"]); // a template, never a secret
    expect(() => loadSettings({ envFile: false, env, warn: () => undefined })).toThrow(/JWT_SECRET/);
    const settings = loadSettings({ envFile: false, warn: () => undefined, env: { ...env, JWT_SECRET: "k".repeat(48), DATABASE_URL: "postgres://velox:pw@postgres:5432/velox" } });
    expect(settings).toMatchObject({ nodeEnv: "production", workers: 0, server: { trustProxy: 1, shutdownTimeoutMs: 25_000 } });
    const refs = container.envFrom!.map((e) => e.configMapRef?.name ?? e.secretRef?.name);
    expect(refs).toEqual([configMap.metadata!.name, secret.metadata!.name]);
  });
});
