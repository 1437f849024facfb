/**
 * The contract, the deployment description and the code cannot drift apart: serverless.yml
 * lists exactly the routes of contract/routes.ts, each served by the function the contract
 * names, and /v1/openapi.json is generated from the same schemas.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { RouteDef } from '@contract/route';
import { appointmentRoutes } from '@contract/appointments';
import { consultationRoutes } from '@contract/consultations';
import { escortRoutes } from '@contract/escorts';
import { familyRoutes } from '@contract/family';
import { identityRoutes } from '@contract/identity';
import { noticeRoutes } from '@contract/notices';
import { notificationRoutes } from '@contract/notifications';
import { queueRoutes } from '@contract/queue';
import { regionRoutes } from '@contract/regions';
import { requestRoutes } from '@contract/requests';
import { routes } from '@contract/routes';
import { statsRoutes } from '@contract/stats';
import { uploadRoutes } from '@contract/uploads';
import { volunteerRoutes } from '@contract/volunteers';
import { call } from '../support/stack';

const tags = ['!Sub', '!GetAtt', '!Ref'].map((tag) => ({ tag, resolve: (v: string) => v }));
const serverless = parse(readFileSync(resolve(__dirname, '../../serverless.yml'), 'utf8'), { customTags: tags }) as {
  functions: Record<string, { handler: string; events?: { httpApi?: string | { method: string; path: string } }[] }>;
};

describe('the route table', () => {
  it('gives every route its own name, so merging the capabilities loses none', () => {
    const tables = [identityRoutes, appointmentRoutes, queueRoutes, volunteerRoutes, consultationRoutes, statsRoutes, notificationRoutes, noticeRoutes, uploadRoutes, requestRoutes, regionRoutes, familyRoutes, escortRoutes];
    const names = tables.flatMap((t) => Object.keys(t));
    expect(names.length).toBe(new Set(names).size);
    expect(Object.keys(routes)).toHaveLength(names.length);
  });
});

describe('serverless.yml', () => {
  it('declares exactly the contract routes, each under the function the contract names', () => {
    const declared = new Map<string, string>();
    for (const [fn, def] of Object.entries(serverless.functions)) {
      for (const event of def.events ?? []) {
        if (typeof event.httpApi === 'string' && event.httpApi !== '*') declared.set(event.httpApi, fn);
      }
    }
    const expected = new Map((Object.values(routes) as RouteDef[]).map((r) => [`${r.method} ${r.path}`, r.fn as string]));
    expect(Object.fromEntries(declared)).toEqual(Object.fromEntries(expected));
  });

  it('sends every unknown path to the catch-all that answers in the contract shape', () => {
    const catchAll = Object.values(serverless.functions).flatMap((f) => f.events ?? []).filter((e) => e.httpApi === '*');
    expect(catchAll).toHaveLength(1);
  });
});

describe('every route is implemented', () => {
  it.each((Object.entries(routes) as [string, RouteDef][]).map(([name, def]) => [name, def]))(
    '%s answers with something other than "no such route"',
    async (_name, def) => {
      const path = def.path.replace(/\{(\w+)\}/g, 'x1');
      const reply = await call(def.method, path, { body: def.body ? {} : undefined });
      expect(reply.body?.error?.code).not.toBe('ROUTE_NOT_FOUND');
      expect(reply.status).toBeLessThan(500);
    },
  );
});

describe('/v1/openapi.json', () => {
  it('documents every route with its request schema', async () => {
    const reply = await call('GET', '/v1/openapi.json');
    expect(reply.status).toBe(200);
    expect(reply.body.openapi).toBe('3.0.3');
    for (const def of Object.values(routes) as RouteDef[]) {
      const operation = reply.body.paths[def.path]?.[def.method.toLowerCase()];
      expect(operation, `${def.method} ${def.path}`).toBeDefined();
      if (def.body) expect(operation.requestBody.content['application/json'].schema.type).toBe('object');
    }
  });

  it('documents the 亲情代办 header on signed-in routes, and only there', async () => {
    const { paths } = (await call('GET', '/v1/openapi.json')).body;
    const headerOf = (path: string, method: string) =>
      (paths[path][method].parameters as { name: string; in: string }[]).filter((p) => p.in === 'header' && p.name === 'X-On-Behalf-Of');
    expect(headerOf('/v1/services/{sid}/appointments', 'post')).toHaveLength(1);
    expect(headerOf('/v1/me/tickets', 'get')).toHaveLength(1);
    expect(headerOf('/v1/communities/{cid}/hall/board', 'get')).toHaveLength(0);
  });
});
