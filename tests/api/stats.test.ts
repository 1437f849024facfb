/**
 * The committee's indicators (GET /v1/communities/{cid}/stats) as the contract types them:
 * every section has its own schema, so the response parses strictly and OpenAPI documents it.
 */
import { describe, expect, it } from 'vitest';
import { Stats } from '@contract/stats';
import * as z from '@contract/schema';
import { newCommunity, staffOf, verifiedResident } from '../support/actors';
import { call } from '../support/stack';

/** The schema with every object strict at every depth: an undocumented field fails the parse. */
function strict(schema: z.ZodType): z.ZodType {
  if (schema instanceof z.ZodObject) {
    const shape = Object.fromEntries(Object.entries(schema.shape as Record<string, z.ZodType>).map(([k, v]) => [k, strict(v)]));
    return z.strictObject(shape);
  }
  if (schema instanceof z.ZodOptional) return strict(schema.unwrap() as z.ZodType).optional();
  if (schema instanceof z.ZodNullable) return strict(schema.unwrap() as z.ZodType).nullable();
  if (schema instanceof z.ZodArray) return z.array(strict(schema.element as z.ZodType));
  return schema;
}

describe('community indicators', () => {
  it('answers with every section typed by the contract, queue categories named', async () => {
    // prepare: a community with a hall of two categories and one verified resident
    const { id: cid } = await newCommunity();
    const staff = await staffOf(cid);
    await verifiedResident(cid);
    const layout = { categories: [{ code: 'A', name: '社保' }, { code: 'B', name: '民政' }], windows: [{ no: 1, categories: ['A', 'B'] }] };
    expect((await call('PUT', `/v1/communities/${cid}/hall`, { token: staff.token, body: layout })).status).toBe(200);

    // act
    const reply = await call('GET', `/v1/communities/${cid}/stats`, { token: staff.token });

    // assess
    expect(reply.status).toBe(200);
    const parsed = strict(Stats).safeParse(reply.body);
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(reply.body.queue.categories).toEqual(layout.categories);
    expect(reply.body.queue.waiting).toEqual({ A: 0, B: 0 });
    expect(reply.body.volunteers).toMatchObject({ approved: 0, targetPercent: 15, meetsTarget: false });
    expect(reply.body.members).toMatchObject({ verified: 1, pending: 0, households: 1 });
  });

  it('documents each section in /v1/openapi.json rather than as an open map', async () => {
    const reply = await call('GET', '/v1/openapi.json');
    const schema = reply.body.paths['/v1/communities/{cid}/stats'].get.responses['200'].content['application/json'].schema;
    for (const section of ['appointments', 'queue', 'volunteers', 'consultations']) {
      expect(Object.keys(schema.properties[section].properties ?? {}), section).not.toHaveLength(0);
    }
    expect(schema.properties.volunteers.properties).toHaveProperty('targetPercent');
    expect(schema.properties.queue.properties).toHaveProperty('categories');
  });
});
