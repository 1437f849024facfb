/**
 * The real Lambda handlers behind a plain Node HTTP server, the way API Gateway would call
 * them (payload format 2.0). Tests, browser journeys and benchmarks use it: it starts in
 * milliseconds, where serverless-offline (used by `npm start`) takes seconds to bundle.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { FunctionName, RouteDef } from '@contract/route';
import { routes } from '@contract/routes';
import { handler as appointments } from '../../functions/handlers/appointments';
import { handler as certificates } from '../../functions/handlers/certificates';
import { handler as consultations } from '../../functions/handlers/consultations';
import { handler as escorts } from '../../functions/handlers/escorts';
import { handler as family } from '../../functions/handlers/family';
import { handler as identity } from '../../functions/handlers/identity';
import { handler as notFound } from '../../functions/handlers/not-found';
import { handler as notices } from '../../functions/handlers/notices';
import { handler as notifications } from '../../functions/handlers/outbox-routes';
import { handler as queue } from '../../functions/handlers/queue';
import { handler as regions } from '../../functions/handlers/regions';
import { handler as requests } from '../../functions/handlers/requests';
import { handler as stats } from '../../functions/handlers/stats';
import { handler as uploads } from '../../functions/handlers/uploads';
import { handler as volunteers } from '../../functions/handlers/volunteers';

type Handler = (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const HANDLERS: Record<FunctionName, Handler> = {
  identity, appointments, queue, volunteers, certificates, consultations, stats, notifications, uploads,
  notices, requests, regions, family, escorts,
};

/** API Gateway's hard limit on a request body; our handlers refuse anything over 64 KB. */
const GATEWAY_BODY_LIMIT = 10 * 1024 * 1024;

interface CompiledRoute {
  def: RouteDef;
  pattern: RegExp;
  names: string[];
}

const compiled: CompiledRoute[] = (Object.values(routes) as RouteDef[])
  .map((def) => ({
    def,
    names: [...def.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
    pattern: new RegExp(`^${def.path.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '([^/]+)')}$`),
  }))
  // Literal segments win over parameters, as in API Gateway.
  .sort((a, b) => a.names.length - b.names.length);

export function matchRoute(method: string, path: string): { def: RouteDef; params: Record<string, string> } | undefined {
  for (const route of compiled) {
    if (route.def.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const params: Record<string, string> = {};
    route.names.forEach((name, i) => {
      params[name] = decodeURIComponent(match[i + 1] ?? '');
    });
    return { def: route.def, params };
  }
  return undefined;
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > GATEWAY_BODY_LIMIT) break;
    chunks.push(chunk as Buffer);
  }
  return chunks.length ? Buffer.concat(chunks).toString('utf8') : undefined;
}

/** Builds the API Gateway event for a request and runs the function that serves its route. */
export async function invoke(request: {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  sourceIp?: string;
}): Promise<APIGatewayProxyStructuredResultV2> {
  const url = new URL(request.url, 'http://local');
  const matched = matchRoute(request.method, url.pathname);
  const query = Object.fromEntries(url.searchParams.entries());
  const event = {
    version: '2.0',
    routeKey: matched ? `${matched.def.method} ${matched.def.path}` : '$default',
    rawPath: url.pathname,
    rawQueryString: url.searchParams.toString(),
    headers: Object.fromEntries(Object.entries(request.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v])),
    queryStringParameters: Object.keys(query).length ? query : undefined,
    pathParameters: matched && Object.keys(matched.params).length ? matched.params : undefined,
    requestContext: {
      requestId: randomUUID(),
      http: { method: request.method, path: url.pathname, sourceIp: request.sourceIp ?? '127.0.0.1' },
    },
    body: request.body,
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
  const handler = matched ? HANDLERS[matched.def.fn] : notFound;
  return handler(event);
}

const CORS_PREFLIGHT = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization,content-type,idempotency-key,x-on-behalf-of',
  'access-control-allow-methods': 'GET,POST,PUT,PATCH,DELETE,OPTIONS',
  'access-control-expose-headers': 'retry-after,x-certificate-code',
};

export async function startApiServer(port = 0): Promise<{ base: string; server: Server; close(): Promise<void> }> {
  const server = createServer(async (req, res) => {
    if (req.method === 'OPTIONS') {
      res.writeHead(204, CORS_PREFLIGHT).end();
      return;
    }
    const result = await invoke({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers as Record<string, string>,
      body: await readBody(req),
      sourceIp: req.socket.remoteAddress,
    });
    const body = result.isBase64Encoded ? Buffer.from(result.body ?? '', 'base64') : (result.body ?? '');
    res.writeHead(result.statusCode ?? 200, { ...CORS_PREFLIGHT, ...(result.headers as Record<string, string>) });
    res.end(body);
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const { port: actual } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${actual}`,
    server,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
