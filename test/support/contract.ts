import diagnostics from "node:diagnostics_channel";
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import { expect } from "vitest";
import { API_DOCUMENT_VERSION } from "../../packages/server/src/openapi/routes.ts";
import { openApiDocument } from "../../packages/server/src/openapi/document.ts";

type Json = Record<string, any>;

interface Operation {
  method: string;
  template: string;
  pattern: RegExp;
  spec: Json;
}

const DOCUMENT_ID = "openapi.json";
const pointer = (...parts: string[]) =>
  `${DOCUMENT_ID}#/` + parts.map((p) => encodeURIComponent(p.replace(/~/g, "~0").replace(/\//g, "~1"))).join("/");

/**
 * The API's OpenAPI document as a checker of real traffic: each request the server answers is
 * matched to its operation, and the answer's status, media type and body are checked against it.
 */
export class Contract {
  readonly document: Json;
  readonly operations: Operation[];
  private readonly ajv: Ajv2020;
  private readonly params: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(publicUrl = "http://127.0.0.1") {
    this.document = openApiDocument({ publicUrl, version: API_DOCUMENT_VERSION });
    this.ajv = withDocument(new Ajv2020({ strict: false, allErrors: true }), this.document);
    // Query and path parameters arrive as strings: coerced to their schema's type, as servers do.
    this.params = withDocument(new Ajv2020({ strict: false, coerceTypes: true }), this.document);
    this.operations = Object.entries(this.document.paths as Json).flatMap(([template, item]) =>
      Object.entries(item as Json).map(([method, spec]) => ({
        method: method.toUpperCase(),
        template,
        pattern: new RegExp(`^${template.replace(/\{\w+\}/g, "[^/]+")}$`),
        spec: spec as Json,
      })),
    );
  }

  operation(method: string, path: string): Operation | undefined {
    return this.operations.find((op) => op.method === method && op.pattern.test(path));
  }

  private validator(ajv: Ajv2020, ref: string): ValidateFunction {
    const key = `${ajv === this.params ? "p" : "b"} ${ref}`;
    let validate = this.validators.get(key);
    if (!validate) this.validators.set(key, (validate = ajv.compile({ $ref: ref })));
    return validate;
  }

  /** What is wrong with this exchange, if anything (an empty list when it keeps the contract). */
  check(exchange: Exchange): string[] {
    const op = this.operation(exchange.method, exchange.path);
    // Paths and methods the API does not have (404 tests): the route listing test covers routes.
    if (!op) return [];
    const where = `${exchange.method} ${exchange.path} → ${exchange.status}`;
    const problems: string[] = [];
    const responses = op.spec.responses as Json;
    const statusKey = String(exchange.status);
    const response = responses[statusKey];
    if (!response)
      return [`${where}: status not documented for ${op.method} ${op.template} (${exchange.body.slice(0, 200)})`];
    const mediaType = exchange.contentType?.split(";")[0]!.trim().toLowerCase();
    const content = response.content as Json | undefined;
    if (!content) {
      if (exchange.body.length > 0) problems.push(`${where}: a body where none is documented`);
    } else if (!mediaType || !(mediaType in content)) {
      problems.push(`${where}: content type ${mediaType} not among ${Object.keys(content).join(", ")}`);
    } else {
      const ref = pointer(
        "paths",
        op.template,
        op.method.toLowerCase(),
        "responses",
        statusKey,
        "content",
        mediaType,
        "schema",
      );
      let body: unknown = exchange.body;
      if (/json$/.test(mediaType)) {
        try {
          body = JSON.parse(exchange.body);
        } catch {
          problems.push(`${where}: the body is not JSON`);
        }
      }
      const validate = this.validator(this.ajv, ref);
      if (!validate(body))
        problems.push(`${where}: ${this.ajv.errorsText(validate.errors)} in ${exchange.body.slice(0, 300)}`);
    }
    if (exchange.status >= 200 && exchange.status < 300) problems.push(...this.checkRequest(op, exchange, where));
    return problems;
  }

  /** A request the server accepted must be one the document allows: the document is not narrower. */
  private checkRequest(op: Operation, exchange: Exchange, where: string): string[] {
    const problems: string[] = [];
    const parameters = (op.spec.parameters ?? []) as Json[];
    const query = parameters.filter((p) => p.in === "query");
    // An operation without query parameters does not read its query string (GET /healthz answers
    // the same whatever it carries); one with them validates it, so a name it lacks is a finding.
    if (query.length === 0) return problems;
    for (const [name, value] of exchange.query) {
      const index = query.findIndex((p) => p.name === name);
      if (index < 0) {
        problems.push(`${where}: query parameter ${name} is not documented`);
        continue;
      }
      const ref = pointer(
        "paths",
        op.template,
        op.method.toLowerCase(),
        "parameters",
        String(parameters.indexOf(query[index]!)),
        "schema",
      );
      const validate = this.validator(this.params, ref);
      const holder = { value };
      if (!validate.call(holder, holder.value))
        problems.push(`${where}: query ${name}=${value}: ${this.params.errorsText(validate.errors)}`);
    }
    const requestBody = op.spec.requestBody as Json | undefined;
    if (exchange.requestBody !== undefined) {
      if (!requestBody) problems.push(`${where}: a request body where none is documented`);
      else {
        const ref = pointer(
          "paths",
          op.template,
          op.method.toLowerCase(),
          "requestBody",
          "content",
          "application/json",
          "schema",
        );
        const validate = this.validator(this.ajv, ref);
        if (!validate(exchange.requestBody))
          problems.push(
            `${where}: request body: ${this.ajv.errorsText(validate.errors)} in ${JSON.stringify(exchange.requestBody).slice(0, 300)}`,
          );
      }
    } else if (requestBody?.required) problems.push(`${where}: accepted without its required body`);
    return problems;
  }

  /**
   * Checks every exchange of `server` (whatever client made it: supertest, fetch, the SDK, a
   * browser) as it finishes. Returns the list of violations and a function that stops watching.
   */
  watch(server: { port: number }): { violations: string[]; exchanges: () => number; stop(): void } {
    const violations: string[] = [];
    let count = 0;
    const onStart = (message: unknown) => {
      const {
        request,
        response,
        server: http,
      } = message as { request: IncomingMessage; response: ServerResponse; server: Server };
      if ((http.address() as AddressInfo | null)?.port !== server.port) return;
      const chunks: Buffer[] = [];
      const capture = (chunk: unknown, encoding?: unknown) => {
        if (chunk === undefined || chunk === null || typeof chunk === "function") return;
        chunks.push(
          typeof chunk === "string"
            ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
            : Buffer.from(chunk as Uint8Array),
        );
      };
      const write = response.write;
      const end = response.end;
      response.write = function (this: ServerResponse, chunk: unknown, ...rest: unknown[]) {
        capture(chunk, rest[0]);
        return (write as (...a: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof response.write;
      response.end = function (this: ServerResponse, chunk?: unknown, ...rest: unknown[]) {
        capture(chunk, rest[0]);
        return (end as (...a: unknown[]) => ServerResponse).call(this, chunk, ...rest);
      } as typeof response.end;
      response.once("finish", () => {
        if (request.method === "HEAD" || request.method === "OPTIONS") return;
        count++;
        const url = new URL(request.url ?? "/", "http://x");
        const body = (request as IncomingMessage & { body?: unknown }).body;
        violations.push(
          ...this.check({
            method: request.method ?? "GET",
            path: url.pathname,
            query: [...url.searchParams],
            // Express parsed it (JSON routes only); an empty body parses to nothing.
            requestBody: body,
            status: response.statusCode,
            contentType: response.getHeader("content-type") as string | undefined,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      });
    };
    diagnostics.subscribe("http.server.request.start", onStart);
    return {
      violations,
      exchanges: () => count,
      stop: () => diagnostics.unsubscribe("http.server.request.start", onStart),
    };
  }
}

export interface Exchange {
  method: string;
  path: string;
  query: Array<[string, string]>;
  requestBody?: unknown;
  status: number;
  contentType?: string;
  body: string;
}

function withDocument(ajv: Ajv2020, document: Json): Ajv2020 {
  (addFormats as unknown as { default: (a: Ajv2020) => void }).default(ajv);
  ajv.addSchema(document, DOCUMENT_ID);
  return ajv;
}

let shared: Contract | undefined;
/** One checker per test file: compiling the document's schemas is the costly part. */
export const contract = () => (shared ??= new Contract());

/**
 * Whether this file's servers are checked: the API suites' (and the security suites'), unless
 * `VERGEWIS_CONTRACT=off` (to measure what the checks cost).
 */
export function contractChecked(): boolean {
  if (process.env.VERGEWIS_CONTRACT === "off") return false;
  return /[/\\]test[/\\](api|security)[/\\]/.test(expect.getState().testPath ?? "");
}
