import { z } from 'zod';
import { errorResponse } from '@seedline/domain';
import type {
  JsonSchema,
  MediaType,
  OpenApiDocument,
  Operation,
  Parameter,
  PathItem,
  Ref,
  Response,
} from './openapi-document.js';
import { EXTRA_SCHEMAS, PATH_PARAMS, ROUTES, type RouteSpec, type Security } from './route-catalogue.js';

/** JSON Schema (2020-12, as OpenAPI 3.1 uses) of what a client sends (`input`) or receives (`output`). */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** `/v1/campaigns/:id` → `/v1/campaigns/{id}` */
export const openApiPath = (expressPath: string) => expressPath.replace(/:(\w+)/g, '{$1}');

const SECURITY: Record<Security, Operation['security']> = {
  none: [],
  brand: [{ brandKey: [] }],
  admin: [{ adminBearer: [] }, { adminBasic: [] }],
  ingest: [{ ingestToken: [] }],
};

const ERROR_REF: Ref = { $ref: '#/components/responses/Error' };

function errorsFor(route: RouteSpec): Record<string, Ref> {
  const errors: Record<string, Ref> = {};
  // A malformed path id is a 404 like an unknown one (another brand's ids are indistinguishable): not a 400.
  const takesInput = route.body || route.query;
  if (takesInput) errors['400'] = ERROR_REF;
  if (route.security !== 'none') errors['401'] = ERROR_REF;
  if (route.path.includes(':') && route.server === 'api') errors['404'] = ERROR_REF;
  if (route.body) {
    errors['413'] = ERROR_REF;
    errors['415'] = ERROR_REF;
  }
  if (route.conflicts) errors['409'] = ERROR_REF;
  if (route.takesTurns) errors['503'] = ERROR_REF;
  for (const status of route.alsoErrors ?? []) errors[String(status)] = ERROR_REF;
  // Brand keys and admin tokens both have failure limits (admin: the right token too, past the limit).
  if (route.security === 'brand' || route.security === 'admin') errors['429'] = ERROR_REF;
  return errors;
}

function operation(route: RouteSpec): Operation {
  const parameters: Parameter[] = [];
  for (const [, name = ''] of route.path.matchAll(/:(\w+)/g)) {
    const pattern =
      name === 'token' || name === 'deliveryId' ? undefined : name === 'week' ? '^\\d{4}-W\\d{2}$' : '^[0-9a-f]{24}$';
    parameters.push({
      name,
      in: 'path',
      required: true,
      // `:id` is a campaign's everywhere but under /v1/brands.
      description: route.path.startsWith('/v1/brands/') && name === 'id' ? 'brand id' : (PATH_PARAMS[name] ?? name),
      schema: { type: 'string', ...(pattern ? { pattern } : {}) },
    });
  }
  if (route.query) {
    for (const [name, field] of Object.entries(route.query.shape)) {
      const schema = jsonSchema(field as z.ZodType, 'input');
      const { description, ...rest } = schema;
      parameters.push({
        name,
        in: 'query',
        required: !(field as z.ZodType).safeParse(undefined).success,
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  for (const header of route.headers ?? [])
    parameters.push({
      name: header.name,
      in: 'header',
      required: false,
      description: header.description,
      schema: { type: 'string' },
    });

  const responses: Record<string, Response | Ref> = {};
  for (const [status, r] of Object.entries(route.responses)) {
    const content: Record<string, MediaType> | undefined = r.schema
      ? { 'application/json': { schema: jsonSchema(r.schema, 'output') } }
      : r.content
        ? {
            [r.content.type]: {
              schema: { type: 'string' },
              ...(r.content.example ? { example: r.content.example } : {}),
            },
          }
        : undefined;
    const headers = r.headers
      ? Object.fromEntries(
          Object.entries(r.headers).map(([h, d]) => [h, { description: d, schema: { type: 'string' } }]),
        )
      : undefined;
    responses[status] = {
      description: r.description,
      ...(content ? { content } : {}),
      ...(headers ? { headers } : {}),
    };
  }
  Object.assign(responses, errorsFor(route));

  const op: Operation = {
    operationId: `${route.method}${route.path.replace(/[^A-Za-z0-9]+(\w)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    security: SECURITY[route.security],
    ...(parameters.length ? { parameters } : {}),
    responses,
  };
  if (route.body) {
    const content: Record<string, MediaType> = route.body.schema
      ? { 'application/json': { schema: jsonSchema(route.body.schema, 'input') } }
      : {};
    for (const type of route.body.text?.types ?? []) {
      content[type] = { schema: { type: 'string' }, example: route.body.text?.example };
    }
    if (route.body.csv) content['text/csv'] = { schema: { type: 'string' }, example: route.body.csv };
    op.requestBody = { required: true, description: `at most ${route.body.limit}`, content };
  }
  return op;
}

export interface OpenApiOptions {
  /** base URL of the ingest app, for its routes' `servers` */
  ingestUrl?: string;
}

/** The OpenAPI 3.1 document of the API (and of the ingest app's routes, under their own server). */
export function buildOpenApi(opts: OpenApiOptions = {}): OpenApiDocument {
  const paths: Record<string, PathItem> = {};
  const ingestServer = [{ url: opts.ingestUrl ?? 'http://127.0.0.1:3001', description: 'ingest app' }];
  for (const route of ROUTES) {
    const path = openApiPath(route.path);
    const item = (paths[path] ??= route.server === 'ingest' ? { servers: ingestServer } : {});
    item[route.method] = operation(route);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Seedline API',
      version: '1.0.0',
      description:
        'Influencer product-seeding campaigns: brands create campaigns, influencers sign up and click tracked links, ' +
        'the API reports statuses, summaries and live updates. Errors are JSON `{error: {code, message, details?}}`; ' +
        '`details` lists failing fields by path (`body.rows.2.date`, `query.limit`). Brand routes are rate-limited per ' +
        'key (429 with `Retry-After`); another brand’s campaign answers 404. JSON and CSV reads carry a weak `ETag`: ' +
        'sent back in `If-None-Match`, an unchanged answer is a `304` without a body.',
    },
    servers: [{ url: '/', description: 'this API' }],
    tags: [
      'Campaigns',
      'Influencers',
      'Attribution',
      'Brand',
      'Statements',
      'Reports',
      'Reimbursements',
      'Webhooks',
      'Instagram',
      'Live',
      'Admin',
      'Ops',
      'Ingest',
    ].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        brandKey: { type: 'http', scheme: 'bearer', description: "a brand's API key (`POST /v1/brands`)" },
        adminBearer: { type: 'http', scheme: 'bearer', description: '`$ADMIN_TOKEN`' },
        adminBasic: { type: 'http', scheme: 'basic', description: 'any user name, `$ADMIN_TOKEN` as the password' },
        ingestToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            '`$INGEST_TOKEN` (ingest app); past `INGEST_AUTH_FAILURE_LIMIT` wrong tokens a minute from a client, its ' +
            'requests answer 429 with `Retry-After`',
        },
      },
      schemas: {
        Error: jsonSchema(errorResponse, 'output'),
        ...Object.fromEntries(Object.entries(EXTRA_SCHEMAS).map(([name, s]) => [name, jsonSchema(s, 'output')])),
      },
      responses: {
        Error: {
          description:
            'an error: 400 invalid input (with field paths), 401, 404, 409 refused in the current state (`error.code` ' +
            'says why), 413 body too large, 415 wrong Content-Type, 429 rate limited, 431 URL or headers too large, 503 ' +
            '`uploads_busy` (an upload while others wait their turn; `Retry-After`)',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    },
  };
}
