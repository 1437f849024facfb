/**
 * 亲情代办 and reminders: the family member who books for an elder is reminded too (they accepted
 * the reminder on their own phone while booking), once however often the schedule fires, through
 * the outbox, on the family page.
 */
import { describe, expect, it } from 'vitest';
import { sendDueReminders } from '../../functions/services/appointments';
import { call } from '../support/stack';
import { accept, subscribeSends, type WechatStub } from '../support/wechat-stub';
import { useWechatStub } from '../support/use-wechat-stub';
import { SLOT, asProxy, family, linked, serviceOf } from './family-fixtures';

let wechat: WechatStub;
useWechatStub({ WX_TEMPLATE_APPOINTMENT_REMINDER: 'tmpl-appointment-reminder' }, (stub) => {
  wechat = stub;
});

describe('reminders for a booking made by a family member', () => {
  it('reminds the family member who accepted, once, on the family page, even when the schedule fires twice', async () => {
    // prepare: the daughter books for her mother and accepts the reminder on her phone; the mother accepted nothing
    const f = await family();
    const sid = await serviceOf(f.cid, f.staff);
    await linked(f.elder, f.cid, f.daughter);
    const booked = await call('POST', `/v1/services/${sid}/appointments`, { ...asProxy(f.daughter, f.elder), body: { start: SLOT, remind: true } });
    expect(booked.status, JSON.stringify(booked.body)).toBe(201);
    await accept(f.daughter, ['appointmentReminder']);
    wechat.behaviour = 'ok';
    const toDaughter = () => subscribeSends(wechat).filter((s) => s.touser === f.daughter.openid);

    // act: the evening before, the schedule fires twice at once and once more later
    const evening = new Date('2026-11-16T18:03:00+08:00');
    await Promise.all([sendDueReminders(evening), sendDueReminders(evening)]);
    await sendDueReminders(new Date('2026-11-16T18:13:00+08:00'));

    // assess
    await expect.poll(toDaughter, { timeout: 10_000 }).toHaveLength(1);
    expect(toDaughter()[0]).toMatchObject({
      template_id: 'tmpl-appointment-reminder',
      page: 'family/index/index',
      data: { character_string3: { value: booked.body.code }, thing4: { value: '家人的预约明天办理，请提醒带齐材料' } },
    });
    expect(subscribeSends(wechat).filter((s) => s.data.character_string3?.value === booked.body.code)).toHaveLength(1);
  });
});
