import { WEBHOOK_EVENT_TYPES, takedownListQuerySchema, webhookEvents } from "@vergewis/sdk";
import { z } from "zod";
import { STATUS_TITLES } from "../http/problem.ts";
import { componentRegistry, eventComponentName } from "./components.ts";
import { OPERATIONS, type Body, type Caller, type OperationSpec } from "./operations.ts";
import { PROBLEMS } from "./problems.ts";

type Json = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const DESCRIPTION = `The Vergewis API: platforms ask performers for consent before they publish, check content
at the publish gate and take it down when consent is withdrawn; auditors read the tamper-evident log.

- **Authentication**: platforms send their API key, auditors their token, as \`Authorization: Bearer …\`.
- **Errors** are RFC 9457 \`application/problem+json\` with a stable \`code\`; for invalid input,
  \`errors\` lists every field by JSON Pointer. Each operation lists the codes it can answer with.
- **Idempotency**: every POST of the platform API takes an \`Idempotency-Key\` header
  (draft-ietf-httpapi-idempotency-key-header): a retry with the same key and body replays the first
  answer (\`Idempotent-Replayed: true\`) for 24 hours; the same key with another body is refused (422).
- **Pagination**: lists answer \`{ items, nextCursor }\`; pass \`nextCursor\` as \`cursor\` for the next
  page; it is null on the last page (the event feed keeps returning it so that pollers can resume).
- **Webhooks** (below) are Standard Webhooks: verify \`webhook-signature\` with the endpoint's secret.
`;

/** Express's `/v1/publications/:id` as OpenAPI's `/v1/publications/{id}`. */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, "{$1}");

function jsonSchemas(): Record<string, Json> {
  const { schemas } = z.toJSONSchema(componentRegistry(), {
    // Bodies as written on the wire: what the server sends also satisfies the input schemas (they
    // only normalise), and requests are described by what the server accepts.
    io: "input",
    target: "draft-2020-12",
    unrepresentable: "any",
    override,
    uri: (id) => `#/components/schemas/${id}`,
  });
  const components: Record<string, Json> = Object.fromEntries(
    Object.entries(schemas).map(([name, { $schema: _s, $id: _i, ...schema }]) => [name, schema as Json]),
  );
  // Generators pick the event's type from `type`: name the mapping.
  components.WebhookEvent!.discriminator = {
    propertyName: "type",
    mapping: Object.fromEntries(WEBHOOK_EVENT_TYPES.map((t) => [t, ref(eventComponentName(t)).$ref])),
  };
  return components;
}

/**
 * JSON Schema's `uri` (RFC 3986) is narrower than what `z.url()` accepts (any URL the WHATWG parser
 * takes, normalised by the server): the document says string, so that it refuses nothing the server takes.
 */
const override = ({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodTypes; jsonSchema: Json }) => {
  if ((zodSchema._zod.def as { format?: string }).format === "url") delete jsonSchema.format;
};

const QUERY_DESCRIPTIONS: Record<string, string> = {
  cursor: "The `nextCursor` of the previous page.",
  limit: "The page size.",
};
const TAKEDOWN_STATUS = "One status or several, comma-separated: `open,overdue`.";

function queryParameters(query: z.ZodObject): Json[] {
  const { properties = {}, required = [] } = z.toJSONSchema(query, {
    io: "input",
    unrepresentable: "any",
    override,
  }) as {
    properties?: Record<string, Json>;
    required?: string[];
  };
  return Object.entries(properties).map(([name, schema]) => ({
    name,
    in: "query",
    required: required.includes(name),
    ...(QUERY_DESCRIPTIONS[name] && { description: QUERY_DESCRIPTIONS[name] }),
    ...(query === takedownListQuerySchema && name === "status" && { description: TAKEDOWN_STATUS }),
    schema,
  }));
}

const SECURITY: Record<Caller, Json[]> = {
  platform: [{ platformKey: [] }],
  auditor: [{ auditorToken: [] }],
  // Anonymous, or a trusted flagger.
  flagger: [{}, { flaggerToken: [] }],
  public: [],
};

function content(body: Body | Body[]): Json {
  return Object.fromEntries(
    [body]
      .flat()
      .map((b) =>
        typeof b === "string" ? ["application/json", { schema: ref(b) }] : [b.mediaType, { schema: b.schema }],
      ),
  );
}

function operation(op: OperationSpec): Json {
  const responses: Json = {};
  for (const [status, response] of Object.entries(op.responses)) {
    responses[status] = {
      description: response.description,
      ...(response.headers && {
        headers: Object.fromEntries(
          response.headers.map((h) => [HEADER_NAMES[h], { $ref: `#/components/headers/${h}` }]),
        ),
      }),
      ...(response.body && { content: content(response.body) }),
    };
  }
  for (const [status, codes] of Object.entries(PROBLEMS[op.operationId] ?? {})) {
    responses[status] = {
      description: `${STATUS_TITLES[Number(status)]}: ${codes!.map((c) => `\`${c}\``).join(", ")}.`,
      content: {
        "application/problem+json": {
          schema: { allOf: [ref("Problem"), { type: "object", properties: { code: { enum: codes } } }] },
        },
      },
    };
  }
  const parameters = [
    ...Object.entries(op.pathParams ?? {}).map(([name, schema]) => ({ name, in: "path", required: true, schema })),
    ...(op.query ? queryParameters(op.query) : []),
    ...(op.idempotent ? [{ $ref: "#/components/parameters/IdempotencyKey" }] : []),
  ];
  return {
    operationId: op.operationId,
    tags: [op.tag],
    summary: op.summary,
    ...(op.description && { description: op.description }),
    security: SECURITY[op.caller],
    ...(parameters.length > 0 && { parameters }),
    ...(op.requestBody && {
      requestBody: { required: !op.requestBody.optional, content: content(op.requestBody.component) },
    }),
    responses,
  };
}

const HEADER_NAMES: Record<string, string> = {
  Location: "Location",
  IdempotentReplayed: "Idempotent-Replayed",
  ETag: "ETag",
};

const WEBHOOK_HEADERS = [
  ["webhook-id", "The event's id: the same on every redelivery, to de-duplicate."],
  ["webhook-timestamp", "Unix seconds when this attempt was signed; refuse old ones."],
  ["webhook-signature", "`v1,<base64 HMAC-SHA256>`, space-separated while a rotated secret overlaps."],
].map(([name, description]) => ({ name, in: "header", required: true, description, schema: { type: "string" } }));

function webhooks(): Json {
  return Object.fromEntries(
    WEBHOOK_EVENT_TYPES.map((type) => [
      type,
      {
        post: {
          operationId: `on${eventComponentName(type)}`,
          tags: ["Webhook events"],
          summary: `\`${type}\` (version ${webhookEvents[type].version})`,
          description: "Sent to every enabled endpoint subscribed to this type, signed per Standard Webhooks.",
          parameters: WEBHOOK_HEADERS,
          requestBody: { required: true, content: { "application/json": { schema: ref(eventComponentName(type)) } } },
          responses: {
            "2XX": { description: "Received: the delivery is done. Any other answer, or none, is retried." },
            "410": { description: "Gone: the endpoint is disabled until it is enabled again." },
          },
        },
      },
    ]),
  );
}

/** The OpenAPI 3.1 document of the API, generated from the SDK's zod schemas. */
export function openApiDocument(options: { publicUrl: string; version: string }): Json {
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operation(op);
  return {
    openapi: "3.1.1",
    info: {
      title: "Vergewis API",
      version: options.version,
      description: DESCRIPTION,
      license: { name: "EUPL-1.2", identifier: "EUPL-1.2" },
    },
    jsonSchemaDialect: "https://spec.openapis.org/oas/3.1/dialect/base",
    servers: [{ url: options.publicUrl }],
    tags: [
      { name: "Publications", description: "Consent requests and the publish gate." },
      { name: "Takedowns", description: "What must come down after a withdrawal or an upheld report." },
      { name: "Reports", description: "Notices about a platform's publications (DSA art. 16, 17)." },
      { name: "Webhooks", description: "Endpoints, deliveries and the event feed." },
      { name: "Audit", description: "The auditor API: the log, proofs, metrics, reports." },
      { name: "Public", description: "No credentials needed." },
      { name: "Webhook events", description: "What Vergewis POSTs to your endpoints." },
    ],
    paths,
    webhooks: webhooks(),
    components: {
      schemas: jsonSchemas(),
      securitySchemes: {
        platformKey: { type: "http", scheme: "bearer", description: "A platform's API key, `vgw_live_…`." },
        auditorToken: { type: "http", scheme: "bearer", description: "An auditor's token, `vgw_audit_…`." },
        flaggerToken: { type: "http", scheme: "bearer", description: "A trusted flagger's token (optional)." },
      },
      parameters: {
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description:
            "Makes a retry safe: 1 to 255 visible ASCII characters (or an RFC 8941 string), unique per request.",
          schema: { type: "string", pattern: "^[\\x21-\\x7e]{1,257}$" },
        },
      },
      headers: {
        Location: { description: "The created resource.", schema: { type: "string", format: "uri" } },
        IdempotentReplayed: {
          description: "`true` when this answer is the replay of an earlier request with the same key.",
          schema: { type: "string", enum: ["true"] },
        },
        ETag: { description: "For If-None-Match.", schema: { type: "string" } },
      },
    },
  };
}
