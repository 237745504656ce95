/**
 * A route's contract: its path, query and body schemas (zod) and every answer it gives. The same
 * object validates the request (`@Input()` parses by it) and writes the route's part of the OpenAPI
 * document (`@Contract()` turns it into @nestjs/swagger's decorators), so the two cannot drift.
 */
import { applyDecorators, createParamDecorator, SetMetadata, UseGuards, type ExecutionContext } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiParam, ApiQuery, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { ApiKeyGuard } from '../security/api-key.guard';
import { BadInputError } from '../security/bad-input';
import { errorBody, errorResponses } from './error-body';
import { objectFields, schemaObject, type SchemaObject } from './schema-object';

export interface ResponseContract {
  description: string;
  /** The body: a zod schema (JSON), or an OpenAPI schema with its media type for other bodies. */
  body?: z.ZodTypeAny;
  media?: { type: string; schema: SchemaObject };
  /** Response headers the answer carries. */
  headers?: Record<string, { description: string; schema: SchemaObject }>;
}

export interface RouteContract {
  summary: string;
  description?: string;
  params?: z.AnyZodObject;
  query?: z.AnyZodObject;
  body?: z.ZodTypeAny;
  /** Media types the body may come in; JSON when not said. */
  bodyMedia?: string[];
  /** A form post carries strings: this turns its fields into what the body schema reads (numbers, absent fields). */
  formBody?: (fields: Record<string, unknown>) => unknown;
  /** The body may be left out (then it parses as {}). */
  bodyOptional?: boolean;
  /** Needs `x-api-key`: the guard runs, and the document says so. */
  apiKey?: boolean;
  /** Under the /api rate limit (429). */
  rateLimited?: boolean;
  /** Every success and every error the route itself raises beyond those the contract implies. */
  responses: Record<number, ResponseContract | string>;
}

/** What `@Input()` hands the handler: the parsed (and transformed) params, query and body. */
export interface ContractInput<C extends RouteContract> {
  params: C['params'] extends z.ZodTypeAny ? z.output<C['params']> : Record<string, never>;
  query: C['query'] extends z.ZodTypeAny ? z.output<C['query']> : Record<string, never>;
  body: C['body'] extends z.ZodTypeAny ? z.output<C['body']> : undefined;
}

const CONTRACT = Symbol('route contract');

/** Declares a contract for identity's sake: keeps the literal type for ContractInput. */
export const routeContract = <C extends RouteContract>(c: C): C => c;

/** The errors a contract implies: 400 when it reads input, 401 with the API key, 429 under the rate limit. */
export function impliedResponses(c: RouteContract): Record<number, ResponseContract | string> {
  const implied: Record<number, string> = {};
  if (c.params || c.query || c.body) implied[400] = errorResponses[400];
  if (c.apiKey) implied[401] = errorResponses[401];
  if (c.rateLimited) implied[429] = errorResponses[429];
  return { ...implied, ...c.responses };
}

function responseDecorator(status: number, r: ResponseContract | string): MethodDecorator {
  const response = typeof r === 'string' ? { description: r, ...(status >= 400 ? { body: errorBody } : {}) } : r;
  const content = response.media
    ? { [response.media.type]: { schema: response.media.schema } }
    : response.body
      ? { 'application/json': { schema: schemaObject(response.body) } }
      : undefined;
  return ApiResponse({ status, description: response.description, ...(content ? { content } : {}), ...(response.headers ? { headers: response.headers } : {}) });
}

/** The route's validation metadata and its OpenAPI operation, from one contract. */
export function Contract(c: RouteContract): MethodDecorator {
  const decorators: (MethodDecorator | ClassDecorator)[] = [
    SetMetadata(CONTRACT, c),
    ApiOperation({ summary: c.summary, ...(c.description ? { description: c.description } : {}) }),
  ];
  for (const p of c.params ? objectFields(c.params) : []) {
    decorators.push(ApiParam({ name: p.name, required: true, schema: p.schema, ...(p.description ? { description: p.description } : {}) }));
  }
  for (const q of c.query ? objectFields(c.query) : []) {
    decorators.push(ApiQuery({ name: q.name, required: q.required, schema: q.schema, ...(q.description ? { description: q.description } : {}) }));
  }
  if (c.body) {
    const schema = schemaObject(c.body);
    decorators.push(ApiBody({ required: !c.bodyOptional, schema }));
    if (c.bodyMedia) decorators.push(ApiConsumes(...c.bodyMedia));
  }
  if (c.apiKey) decorators.push(ApiSecurity('x-api-key'), UseGuards(ApiKeyGuard));
  for (const [status, r] of Object.entries(impliedResponses(c))) decorators.push(responseDecorator(Number(status), r));
  return applyDecorators(...decorators);
}

/** The contract a handler was declared with (for the 405 table and the tests). */
export function contractOf(handler: object): RouteContract | undefined {
  return Reflect.getMetadata(CONTRACT, handler) as RouteContract | undefined;
}

/** The issue to report: of a union (a body of one shape or another), the first of the branch that came closest. */
function firstIssue(error: z.ZodError): z.ZodIssue {
  const issue = error.issues[0]!;
  if (issue.code !== 'invalid_union') return issue;
  const closest = [...issue.unionErrors].sort((a, b) => a.issues.length - b.issues.length)[0];
  return closest ? firstIssue(closest) : issue;
}

/** The shapes a union of objects accepts, as a refusal lists them: `{date, source?} or {from, to, source?}`. */
function shapesOf(schema: z.ZodTypeAny): string | undefined {
  if (!(schema instanceof z.ZodUnion)) return undefined;
  const options = schema.options as z.ZodTypeAny[];
  if (!options.every((o) => o instanceof z.ZodObject)) return undefined;
  return options
    .map((o) => `{${Object.entries((o as z.AnyZodObject).shape as Record<string, z.ZodTypeAny>).map(([k, f]) => (f.isOptional() ? `${k}?` : k)).join(', ')}}`)
    .join(' or ');
}

function parsePart<T extends z.ZodTypeAny>(schema: T, value: unknown, where: 'path' | 'query' | 'body'): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data as z.output<T>;
  const issue = firstIssue(parsed.error);
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const field = unknownKey ?? (issue.path.join('.') || where);
  const rule = issue.code === 'unrecognized_keys' ? `unknown ${where === 'body' ? 'field' : 'parameter'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}` : issue.message;
  const shapes = shapesOf(schema);
  throw new BadInputError(`${field}: ${rule}${shapes ? `; the ${where} is one of ${shapes}` : ''}`, field);
}

/** Parses a request by its contract: path, then query, then body; the first bad field becomes a 400 naming it. */
export function parseInput<C extends RouteContract>(c: C, req: Pick<Request, 'params' | 'query' | 'body' | 'is'>): ContractInput<C> {
  const params: unknown = c.params ? parsePart(c.params, req.params ?? {}, 'path') : {};
  // Unknown query parameters are refused, not ignored: `?sort=x` on a route without sort says so.
  const query: unknown = c.query ? parsePart(c.query.strict(), req.query ?? {}, 'query') : {};
  const form = c.formBody && typeof req.body === 'object' && req.body !== null && req.is('application/x-www-form-urlencoded');
  const raw: unknown = form ? c.formBody!(req.body as Record<string, unknown>) : req.body;
  const body: unknown = c.body ? parsePart(c.body, raw === undefined && c.bodyOptional ? {} : raw, 'body') : undefined;
  return { params, query, body } as ContractInput<C>;
}

/** The handler's input, parsed by the contract it was declared with. */
export const Input = createParamDecorator((_data: unknown, ctx: ExecutionContext) => {
  const c = contractOf(ctx.getHandler());
  if (!c) throw new Error(`@Input() on ${ctx.getClass().name}.${ctx.getHandler().name}, which has no @Contract()`);
  return parseInput(c, ctx.switchToHttp().getRequest<Request>());
});
