import * as z from './schema';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The Lambda function that serves a route; serverless.yml lists the same routes under it. */
export type FunctionName =
  | 'identity'
  | 'appointments'
  | 'queue'
  | 'volunteers'
  | 'certificates'
  | 'consultations'
  | 'stats'
  | 'notifications'
  | 'notices'
  | 'family'
  | 'uploads'
  | 'requests'
  | 'regions'
  | 'escorts';

/**
 * One HTTP operation of the public contract. The same object validates requests in the
 * functions, types the mini-program's client, and generates /v1/openapi.json.
 */
export type Auth = 'none' | 'user' | 'optional';

export interface RouteDef<
  B extends z.ZodType | undefined = z.ZodType | undefined,
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  R extends z.ZodType | undefined = z.ZodType | undefined,
  A extends Auth = Auth,
  P extends string = string,
  F extends FunctionName = FunctionName,
> {
  method: Method;
  path: P;
  fn: F;
  /** 'none': anyone; 'user': a valid token is required; 'optional': a token is read if present. */
  auth: A;
  summary: string;
  body?: B;
  query?: Q;
  response?: R;
  /** 201 for creates; 200 otherwise. */
  status?: 200 | 201;
  /**
   * How an Idempotency-Key is honoured (reads ignore it). generic (the default for writes): the
   * key is claimed before the work and the first response stored after it. with-act: the route
   * ends in one transaction that records the key and its response with the act itself (no claim,
   * no completion). own: the service keeps its own record (ballots, whose body is never stored).
   */
  idempotency?: 'generic' | 'with-act' | 'own';
  /** Non-JSON responses (the certificate PDF). */
  produces?: string;
}

export const route = <
  B extends z.ZodType | undefined = undefined,
  Q extends z.ZodType | undefined = undefined,
  R extends z.ZodType | undefined = undefined,
  A extends Auth = Auth,
  P extends string = string,
  F extends FunctionName = FunctionName,
>(
  def: RouteDef<B, Q, R, A, P, F>,
): RouteDef<B, Q, R, A, P, F> => (def.body ? { ...def, body: strictInput(def.body) } : def);

type AnyDef = Record<string, unknown> & { type: string; shape?: Record<string, unknown>; catchall?: z.ZodType };
type Internals = { _zod: { def: AnyDef; constr: new (def: AnyDef) => z.ZodType } };

/** Definition fields that hold one nested schema (optional, default, array, pipe, record…). */
const INNER = ['innerType', 'element', 'in', 'out', 'left', 'right', 'keyType', 'valueType', 'rest'] as const;

/**
 * A request body that refuses what it does not know, at every depth: an object without an explicit
 * catch-all becomes strict (400 "不认识的字段：x" instead of the field being dropped silently).
 * Built once per route from the shared schemas, which stay as they are for responses, where the
 * client must accept fields added later. A schema that wants extra keys says so (`z.looseObject`).
 */
export function strictInput<T extends z.ZodType>(schema: T): T {
  const { def, constr } = (schema as unknown as Internals)._zod;
  const next: AnyDef = { ...def };
  let changed = false;
  const swap = (child: unknown): unknown => {
    if (!(child instanceof z.ZodType)) return child;
    const strict = strictInput(child);
    if (strict !== child) changed = true;
    return strict;
  };
  if (def.type === 'object') {
    next.shape = Object.fromEntries(Object.entries(def.shape ?? {}).map(([key, value]) => [key, swap(value)]));
    if (!def.catchall) {
      next.catchall = z.never();
      changed = true;
    }
  }
  if (def.type === 'lazy') {
    const getter = def.getter as () => z.ZodType;
    next.getter = () => strictInput(getter());
    changed = true;
  }
  for (const field of INNER) if (field in def) next[field] = swap(def[field]);
  for (const field of ['options', 'items'] as const) if (Array.isArray(def[field])) next[field] = (def[field] as unknown[]).map(swap);
  if (!changed) return schema;
  const strict = new constr(next);
  // Descriptions live in the registry, keyed by instance: the strict copy keeps them for OpenAPI.
  const meta = z.globalRegistry.get(schema);
  if (meta) z.globalRegistry.add(strict, meta);
  return strict as unknown as T;
}

/** The names of a path's parameters: '/v1/services/{sid}/slots' → 'sid'. */
export type PathParams<P extends string> = P extends `${string}{${infer K}}${infer Rest}` ? K | PathParams<Rest> : never;

export type BodyOf<D> = D extends RouteDef<infer B, z.ZodType | undefined, z.ZodType | undefined, Auth, string>
  ? B extends z.ZodType
    ? z.input<B>
    : undefined
  : never;
export type ResponseOf<D> = D extends RouteDef<z.ZodType | undefined, z.ZodType | undefined, infer R, Auth, string>
  ? R extends z.ZodType
    ? z.output<R>
    : unknown
  : never;
