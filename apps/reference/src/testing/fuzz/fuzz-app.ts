import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import fc from "fast-check";
import { operationsOf, type OpenAPIDoc, type Operation, type Parameter } from "./openapi-operations.ts";
import { anyString, brokenJsonText, hostileValue, invalidValue, validValue } from "./values.ts";

/** One generated request, as the fuzzer sends it. */
export interface FuzzRequest {
  operation: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
}

/** What the app answered. */
export interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** What a fuzz run saw. */
export interface FuzzReport {
  requests: number;
  /** Responses by status. */
  statuses: Record<number, number>;
  /** Requests by operation. */
  operations: Record<string, number>;
  seed: number;
}

/** Tokens the fuzzer authenticates with (`admin` holds every scope, so every route is reachable). */
export interface FuzzCredentials {
  admin: string;
  user: string;
  /** A registered username and its password, so some logins succeed. */
  login: { username: string; password: string };
}

/** Options of {@link fuzzApp}. */
export interface FuzzOptions {
  doc: OpenAPIDoc;
  send: (request: FuzzRequest) => Promise<FuzzResponse>;
  credentials: FuzzCredentials;
  /** Requests to generate. */
  runs: number;
  seed?: number;
  /** Relative weight per operation (`"POST /auth/register"`), default 1: password hashing is slow. */
  weights?: Record<string, number>;
}

/** Percent-encodes a value's UTF-8 bytes, as a client would (a lone surrogate becomes U+FFFD). */
function encodeSegment(value: unknown): string {
  const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  let out = "";
  for (const byte of Buffer.from(text, "utf8")) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-._~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, "0")}`;
  }
  return out;
}

const rawPathValues = fc.constantFrom("%00", "%ZZ", "%", "..%2f", "%2e%2e%2f", "1%00", "%F0%9F%98%80", "-1", "1.0", "+1", "0001", "1e3");

/**
 * A dot segment (`.`, `..`, or `%2e` spellings, which WHATWG URLs treat alike) is removed by
 * every URL parser, the test client's included, so it can never arrive as a path parameter: the
 * request would name another route. The socket-level tests cover dot segments.
 */
function notDotSegment(segment: string): string {
  return /^(?:\.|%2e){1,2}$/i.test(segment) ? `x${segment}` : segment;
}

function parameterValue(doc: OpenAPIDoc, p: Parameter): fc.Arbitrary<string | undefined> {
  const valid = validValue(doc, p.schema).map((v) => (typeof v === "string" ? encodeSegment(v) : encodeSegment(String(v))));
  const hostile = hostileValue.map((v) => encodeSegment(typeof v === "string" ? v : JSON.stringify(v) ?? "null"));
  const options: fc.WeightedArbitrary<string | undefined>[] = [
    { weight: 6, arbitrary: valid },
    { weight: 2, arbitrary: hostile },
    { weight: 1, arbitrary: rawPathValues },
  ];
  if (!p.required) options.push({ weight: 2, arbitrary: fc.constant(undefined) });
  return fc.oneof(...options);
}

function authHeader(credentials: FuzzCredentials): fc.Arbitrary<string | undefined> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.constant(`Bearer ${credentials.admin}`) },
    { weight: 2, arbitrary: fc.constant(`Bearer ${credentials.user}`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: anyString.map((s) => `Bearer ${s.replace(/[^\t\x20-\x7e]/g, "")}`) },
    { weight: 1, arbitrary: fc.constantFrom("Basic abc", "Bearer", "bearer  x.y.z", `Bearer ${credentials.admin}x`) },
  );
}

function formBody(doc: OpenAPIDoc, op: Operation, credentials: FuzzCredentials): fc.Arbitrary<string> {
  const login = fc.constant({ username: credentials.login.username, password: credentials.login.password });
  const generated = validValue(doc, op.body!.schema) as fc.Arbitrary<Record<string, unknown>>;
  const hostile = fc.record({ username: anyString, password: anyString, scope: fc.option(anyString, { nil: undefined }) }, { requiredKeys: [] });
  return fc.oneof(login, generated, hostile).map((fields) => {
    const form = new URLSearchParams();
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) form.append(k, String(v));
    return form.toString();
  });
}

function jsonBody(doc: OpenAPIDoc, op: Operation): fc.Arbitrary<string> {
  const schema = op.body!.schema;
  return fc.oneof(
    { weight: 5, arbitrary: validValue(doc, schema).map((v) => JSON.stringify(v)) },
    { weight: 4, arbitrary: invalidValue(doc, schema).map((v) => JSON.stringify(v) ?? "null") },
    { weight: 1, arbitrary: brokenJsonText },
  );
}

const contentTypes = fc.constantFrom("text/plain", "application/json; charset=latin1", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx");

function requestFor(doc: OpenAPIDoc, op: Operation, credentials: FuzzCredentials): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === "path");
  const queryParams = op.parameters.filter((p) => p.in === "query");
  const body: fc.Arbitrary<{ text?: string; type?: string }> =
    op.body === null
      ? fc.constant({})
      : fc.oneof(
          { weight: 9, arbitrary: (op.body.contentType === "application/json" ? jsonBody(doc, op) : formBody(doc, op, credentials)).map((text) => ({ text, type: op.body!.contentType })) },
          { weight: 1, arbitrary: fc.tuple(jsonBody(doc, op), fc.option(contentTypes, { nil: undefined })).map(([text, type]) => ({ text, type })) },
        );
  const extraQuery = fc.oneof(
    { weight: 6, arbitrary: fc.constant("") },
    { weight: 1, arbitrary: fc.constantFrom("&unknown=1", "&page=1&page=2", "&%00=%00", "&size=", "&=", `&${"p=1&".repeat(1100)}`) },
  );
  return fc
    .record({
      path: fc.tuple(...pathParams.map((p) => parameterValue(doc, { ...p, required: true }))),
      query: fc.tuple(...queryParams.map((p) => parameterValue(doc, p))),
      extraQuery,
      body,
      auth: op.secured ? authHeader(credentials) : fc.constant(undefined),
    })
    .map(({ path, query, extraQuery: extra, body: b, auth }) => {
      let url = op.path;
      pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, notDotSegment(path[i] ?? ""))));
      const pairs = queryParams.flatMap((p, i) => (query[i] === undefined ? [] : [`${encodeURIComponent(p.name)}=${query[i]}`]));
      const search = pairs.join("&") + extra;
      if (search !== "") url += `?${search.replace(/^&/, "")}`;
      const headers: Record<string, string> = {};
      if (auth !== undefined) headers.authorization = auth;
      if (b.type !== undefined) headers["content-type"] = b.type;
      return { operation: `${op.method} ${op.path}`, method: op.method, url, headers, ...(b.text === undefined ? {} : { body: b.text }) };
    });
}

/** Checks one answer: never a 5xx; a 2xx must be a documented status whose schema it matches. */
function makeOracle(doc: OpenAPIDoc): (op: Operation, response: FuzzResponse) => string | null {
  const ajv = new Ajv2020({ strict: false, allErrors: false });
  addFormats.default(ajv);
  ajv.addSchema({ $id: "openapi.json", components: doc.components ?? {} });
  const validators = new Map<object, ReturnType<typeof ajv.compile>>();
  const validatorFor = (schema: object) => {
    let validate = validators.get(schema);
    if (validate === undefined) {
      const rebased = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"openapi.json#/components/')) as object;
      validate = ajv.compile(rebased);
      validators.set(schema, validate);
    }
    return validate;
  };
  return (op, response) => {
    if (response.status >= 500) return `answered ${response.status}: ${response.text.slice(0, 300)}`;
    if (response.status < 200 || response.status >= 300) return null;
    if (!(String(response.status) in op.responses)) return `answered ${response.status}, which the document does not declare (${Object.keys(op.responses).join(", ")})`;
    const schema = op.responses[String(response.status)];
    if (schema === null || schema === undefined) return response.text === "" ? null : `answered a body for a status declared without one`;
    if (schema === "opaque") return null;
    let body: unknown;
    try {
      body = JSON.parse(response.text);
    } catch {
      return `answered ${response.status} with a body that is not JSON: ${response.text.slice(0, 200)}`;
    }
    const validate = validatorFor(schema);
    return validate(body) ? null : `answered ${response.status} not matching its schema: ${ajv.errorsText(validate.errors)}`;
  };
}

/**
 * Property-based fuzzing of an app from its own OpenAPI document: generates valid and invalid
 * requests for every operation (schema-derived values, boundary integers, NUL, lone surrogates,
 * huge strings, odd Unicode, wrong types and content types, missing and extra fields, bad
 * tokens), sends each, and fails — with fast-check's shrunk counterexample — on any 5xx or any
 * 2xx that is undocumented or does not match its declared response schema.
 *
 * @example
 * ```ts
 * const report = await fuzzApp({ doc, send, credentials, runs: 500 });
 * console.log(report.requests, report.statuses);
 * ```
 */
export async function fuzzApp(options: FuzzOptions): Promise<FuzzReport> {
  const { doc, credentials } = options;
  const seed = options.seed ?? Date.now() % 2 ** 31;
  const operations = operationsOf(doc);
  const oracle = makeOracle(doc);
  const report: FuzzReport = { requests: 0, statuses: {}, operations: {}, seed };
  const arbitrary = fc.oneof(
    ...operations.map((op) => ({
      weight: options.weights?.[`${op.method} ${op.path}`] ?? 1,
      arbitrary: requestFor(doc, op, credentials).map((request) => ({ op, request })),
    })),
  );
  await fc.assert(
    fc.asyncProperty(arbitrary, async ({ op, request }) => {
      const response = await options.send(request);
      report.requests++;
      report.statuses[response.status] = (report.statuses[response.status] ?? 0) + 1;
      report.operations[request.operation] = (report.operations[request.operation] ?? 0) + 1;
      const problem = oracle(op, response);
      if (problem !== null) throw new Error(`${request.method} ${request.url.slice(0, 300)} ${problem}`);
    }),
    { numRuns: options.runs, seed, endOnFailure: false, maxSkipsPerRun: 0 },
  );
  return report;
}
