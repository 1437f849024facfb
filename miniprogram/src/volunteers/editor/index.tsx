import { useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { tappable } from '../../components/a11y';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { DateTimePicker, isoAt, localParts } from '../../components/date-time-picker';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Loading } from '../../components/state';
import { StaffOnly } from '../../components/staff-only';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, back, go, useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { useCurrentCommunity } from '../../store/community';
import { SKILLS } from '../shared';
import '../shared.css';

const DEFAULT_ZONE = 'Asia/Shanghai';
const DAY_MS = 24 * 3600_000;

/** An instant (as the API answers it) as the community's wall clock with its offset, which the picker shows. */
function wallClock(instant: string | Date, timeZone: string): string {
  const { date, time } = localParts(new Date(instant), timeZone);
  return isoAt(date, time, timeZone);
}

/** A new activity starts tomorrow at 9 and ends at 11, community time: one tap away from most dates. */
function tomorrowAt(time: string, timeZone: string): string {
  return isoAt(localParts(new Date(Date.now() + DAY_MS), timeZone).date, time, timeZone);
}

/** 发布活动 / 修改活动 (staff). With ?id= it edits, and can cancel, the activity. */
export default function Editor() {
  const { id } = useQuery();
  const { cid, staff } = useCurrentCommunity();
  // Times are the community's wall clock: its zone comes with the community.
  const community = useRequest(() => api('getCommunity', { params: { cid: cid ?? '' } }), [cid], Boolean(cid));
  const timeZone = community.data?.timezone ?? DEFAULT_ZONE;
  const [form, setForm] = useState(() => ({ title: '', place: '', description: '', start: tomorrowAt('09:00', DEFAULT_ZONE), end: tomorrowAt('11:00', DEFAULT_ZONE), capacity: '10', hours: '2' }));
  const [skills, setSkills] = useState<string[]>([]);
  const [loaded, setLoaded] = useState(!id);
  useEffect(() => {
    if (!id || community.loading) return;
    const zone = community.data?.timezone ?? DEFAULT_ZONE;
    void api('getActivity', { params: { id } }).then((a) => {
      setForm({ title: a.title, place: a.place, description: a.description ?? '', start: wallClock(a.startsAt, zone), end: wallClock(a.endsAt, zone), capacity: String(a.capacity), hours: String(a.hours) });
      setSkills(a.skills ?? []);
      setLoaded(true);
    });
  }, [id, community.loading, community.data]);
  const body = () => ({
    title: form.title.trim(), place: form.place.trim(), ...(form.description.trim() ? { description: form.description.trim() } : {}),
    startsAt: form.start, endsAt: form.end, capacity: Number(form.capacity), hours: Number(form.hours),
    skills: skills as (typeof SKILLS)[number][],
  });
  const save = useSubmit((key) => (id ? api('updateActivity', { params: { id }, body: body(), idempotencyKey: key }) : api('createActivity', { params: { cid: cid ?? '' }, body: body(), idempotencyKey: key })));
  const cancel = useSubmit((key) => api('cancelActivity', { params: { id: id ?? '' }, idempotencyKey: key }));
  const errors = fieldErrors(save.error);
  const set = (name: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [name]: value }));

  if (!cid || !staff) return <StaffOnly purpose="此页面用于社区工作人员发布和编辑志愿活动。" />;
  if (!loaded) return <PageShell><Loading /></PageShell>;
  return (
    <PageShell className="stack desk-column">
      <Card>
        <Field label="活动名称" value={form.title} onInput={set('title')} placeholder="如：敬老院探访" maxlength={60} error={errors.title} />
        <Field label="地点" value={form.place} onInput={set('place')} placeholder="如：社区党群服务中心" maxlength={60} error={errors.place} />
        <DateTimePicker label="开始时间" value={form.start} onChange={set('start')} timeZone={timeZone} error={errors.startsAt} />
        <DateTimePicker label="结束时间" value={form.end} onChange={set('end')} timeZone={timeZone} start={form.start.slice(0, 10)} error={errors.endsAt} />
        <Field label="名额（人）" type="number" value={form.capacity} onInput={set('capacity')} error={errors.capacity} />
        <Field label="认定时长（小时，可为 0.5 的倍数）" type="digit" value={form.hours} onInput={set('hours')} error={errors.hours} />
        <Field label="活动说明" optional value={form.description} onInput={set('description')} maxlength={1000} error={errors.description} />
      </Card>
      <Card title="所需技能（可不选）">
        <View className="vol-row">
          {SKILLS.map((s) => (
            <View key={s} className={`vol-chip ${skills.includes(s) ? 'vol-chip--on' : ''}`} {...tappable(() => setSkills((l) => (l.includes(s) ? l.filter((x) => x !== s) : [...l, s])), { role: 'checkbox', checked: skills.includes(s) })} onClick={() => setSkills((l) => (l.includes(s) ? l.filter((x) => x !== s) : [...l, s]))}>
              {skills.includes(s) ? `✓ ${s}` : s}
            </View>
          ))}
        </View>
      </Card>
      <Button block loading={save.busy} loadingText="正在保存…" onClick={async () => {
        const saved = await save.run();
        if (saved) { toast(id ? '已保存，已报名的志愿者会收到通知' : '活动已发布', 'success'); if (id) back(); else go(PAGES.volunteerActivity, { id: saved.id }); }
      }}>
        {id ? '保存修改' : '发布活动'}
      </Button>
      {id ? (
        <Button block variant="danger" loading={cancel.busy} loadingText="正在取消…" onClick={async () => {
          if (!(await confirm('取消活动', '取消后活动不再进行，所有报名随之作废，已报名的志愿者会收到通知。此操作不能撤回。', '取消活动', { cancelText: '保留活动', destructive: true }))) return;
          if (await cancel.run()) { toast('活动已取消', 'success'); back(); }
        }}>取消活动</Button>
      ) : null}
    </PageShell>
  );
}
