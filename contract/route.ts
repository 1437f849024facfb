import type * as z from './schema';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** The Lambda function that serves a route; serverless.yml lists the same routes under it. */
export type FunctionName =
  | 'identity'
  | 'appointments'
  | 'queue'
  | 'volunteers'
  | 'certificates'
  | 'consultations'
  | 'stats';

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
   * How an Idempotency-Key is honoured: 'generic' (the default for writes) stores the first
   * response; 'own' means the service keeps its own record (ballots, whose body must never be
   * stored); reads ignore the header.
   */
  idempotency?: 'generic' | 'own';
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
): RouteDef<B, Q, R, A, P, F> => def;

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
