import { useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { tappable } from '../../components/a11y';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Empty, Loading } from '../../components/state';
import { useSubmit } from '../../hooks/use-submit';
import { back, go, useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { useCurrentCommunity } from '../../store/community';
import { SKILLS, VOLUNTEER_PAGES } from '../shared';
import '../shared.css';

/** "2026-05-20 09:00" in China time ⇄ ISO with +08:00. */
const toIso = (local: string): string => `${local.trim().replace(' ', 'T')}:00+08:00`;
const toLocal = (iso: string): string => iso.slice(0, 16).replace('T', ' ');

/** 发布活动 / 修改活动 (staff). With ?id= it edits, and can cancel, the activity. */
export default function Editor() {
  const { id } = useQuery();
  const { cid, staff } = useCurrentCommunity();
  const [form, setForm] = useState({ title: '', place: '', description: '', start: '', end: '', capacity: '10', hours: '2' });
  const [skills, setSkills] = useState<string[]>([]);
  const [loaded, setLoaded] = useState(!id);
  useEffect(() => {
    if (!id) return;
    void api('getActivity', { params: { id } }).then((a) => {
      setForm({ title: a.title, place: a.place, description: a.description ?? '', start: toLocal(a.startsAt), end: toLocal(a.endsAt), capacity: String(a.capacity), hours: String(a.hours) });
      setSkills(a.skills ?? []);
      setLoaded(true);
    });
  }, [id]);
  const body = () => ({
    title: form.title.trim(), place: form.place.trim(), ...(form.description.trim() ? { description: form.description.trim() } : {}),
    startsAt: toIso(form.start), endsAt: toIso(form.end), capacity: Number(form.capacity), hours: Number(form.hours),
    skills: skills as (typeof SKILLS)[number][],
  });
  const save = useSubmit((key) => (id ? api('updateActivity', { params: { id }, body: body(), idempotencyKey: key }) : api('createActivity', { params: { cid: cid ?? '' }, body: body(), idempotencyKey: key })));
  const cancel = useSubmit((key) => api('cancelActivity', { params: { id: id ?? '' }, idempotencyKey: key }));
  const errors = fieldErrors(save.error);
  const set = (name: keyof typeof form) => (value: string) => setForm((f) => ({ ...f, [name]: value }));

  if (!cid || !staff) return <PageShell><Empty title="仅社区工作人员可用" /></PageShell>;
  if (!loaded) return <PageShell><Loading /></PageShell>;
  return (
    <PageShell className="stack">
      <Card>
        <Field label="活动名称" value={form.title} onInput={set('title')} placeholder="如：敬老院探访" maxlength={60} error={errors.title} />
        <Field label="地点" value={form.place} onInput={set('place')} placeholder="如：社区党群服务中心" maxlength={60} error={errors.place} />
        <Field label="开始时间" value={form.start} onInput={set('start')} placeholder="2026-05-20 09:00" hint="格式：年-月-日 时:分（北京时间）" error={errors.startsAt} />
        <Field label="结束时间" value={form.end} onInput={set('end')} placeholder="2026-05-20 11:00" error={errors.endsAt} />
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
        if (saved) { toast(id ? '已保存，已报名的志愿者会收到通知' : '活动已发布', 'success'); if (id) back(); else go(VOLUNTEER_PAGES.activity, { id: saved.id }); }
      }}>
        {id ? '保存修改' : '发布活动'}
      </Button>
      {id ? (
        <Button block variant="danger" loading={cancel.busy} loadingText="正在取消…" onClick={async () => {
          if (!(await confirm('取消活动', '确定取消该活动吗？已报名的志愿者会收到通知。', '取消活动'))) return;
          if (await cancel.run()) { toast('活动已取消', 'success'); back(); }
        }}>取消活动</Button>
      ) : null}
    </PageShell>
  );
}
