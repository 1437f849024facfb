/**
 * /v1/openapi.json, generated from the route table and the very schemas that validate requests.
 */
import type { RouteDef } from './route';
import { routes } from './routes';
import * as z from './schema';

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string' },
        message: { type: 'string', description: '中文说明' },
        details: {},
        requestId: { type: 'string' },
      },
    },
  },
};

function parameters(def: RouteDef) {
  const inPath = [...def.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
    name: m[1], in: 'path', required: true, schema: { type: 'string' },
  }));
  const inQuery = def.query
    ? Object.entries((jsonSchema(def.query, 'input') as { properties?: Record<string, unknown> }).properties ?? {}).map(
        ([name, schema]) => ({ name, in: 'query', required: false, schema }),
      )
    : [];
  const idempotency = def.method === 'GET' ? [] : [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } }];
  // 亲情代办 (contract/family.ts): any signed-in route may be called for a linked elder; the
  // personal ones (ballots, comments, topics) answer 403 PROXY_NOT_ALLOWED.
  const onBehalfOf =
    def.auth === 'user'
      ? [{ name: 'X-On-Behalf-Of', in: 'header', required: false, description: '亲情代办：代为办理的长辈的用户编号；投票、评论、提议题不可代办', schema: { type: 'string' } }]
      : [];
  return [...inPath, ...inQuery, ...idempotency, ...onBehalfOf];
}

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, def] of Object.entries(routes) as [string, RouteDef][]) {
    const success = String(def.status ?? 200);
    const content = def.produces
      ? { [def.produces]: { schema: { type: 'string', format: 'binary' } } }
      : { 'application/json': { schema: def.response ? jsonSchema(def.response, 'output') : {} } };
    (paths[def.path] ??= {})[def.method.toLowerCase()] = {
      operationId: name,
      summary: def.summary,
      tags: [def.fn],
      ...(def.auth === 'user' ? { security: [{ bearer: [] }] } : {}),
      parameters: parameters(def),
      ...(def.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(def.body, 'input') } } } } : {}),
      responses: {
        [success]: { description: 'OK', content },
        default: { description: '错误', content: { 'application/json': { schema: ERROR } } },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Linli 邻里 API', version: '1.0.0', description: '社区预约、取号叫号、志愿服务与议事协商' },
    servers: [{ url: '/' }],
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    paths,
  };
}
