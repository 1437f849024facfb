import { useEffect, useState } from 'react';
import { Input, Picker, Textarea, View } from '@tarojs/components';
import type { ServiceKind, TimeRange, Weekday } from '@contract/appointments';
import { api, type ApiBody } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { dateText } from '../../components/date-time-picker/format';
import { PageShell } from '../../components/page-shell';
import { TimePicker } from '../../components/time-picker';
import { Empty, ErrorState, Loading } from '../../components/state';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { back, useQuery } from '../../nav';
import { toast } from '../../platform';
import { useCurrentCommunity } from '../../store/community';
import { weekdayText } from '../shared';
import '../shared.css';
import './index.css';

type Weekly = Record<Weekday, TimeRange[]>;
const WORKDAY: TimeRange[] = [['09:00', '12:00'], ['14:00', '17:30']];
const emptyWeek = (): Weekly => ({ mon: [], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] });
/** The days in order, read off emptyWeek, which the type holds to every Weekday (the contract's list is a zod enum, not bundled). */
const WEEKDAYS = Object.keys(emptyWeek()) as Weekday[];
const KIND_TEXT: Record<ServiceKind, string> = { general: '普通', mediation: '预约调解' };

interface Form {
  name: string; category: string; kind: ServiceKind; durationMin: string; location: string; description: string;
  slotMinutes: string; capacityPerSlot: string; bookAheadDays: string;
}

/** 新建 / 修改服务事项 (staff). With ?sid= it loads and edits that service. */
export default function ServiceEditor() {
  const { sid } = useQuery();
  const { cid, staff } = useCurrentCommunity();
  const [form, setForm] = useState<Form>({
    name: '', category: 'A', kind: 'general', durationMin: '20', location: '', description: '', slotMinutes: '30', capacityPerSlot: '2', bookAheadDays: '7',
  });
  const [materials, setMaterials] = useState<string[]>(['']);
  const [weekly, setWeekly] = useState<Weekly>(emptyWeek);
  const [closures, setClosures] = useState<string[]>([]);
  const [openDays, setOpenDays] = useState<string[]>([]);
  const [loadError, setLoadError] = useState<unknown>(undefined);
  const [loaded, setLoaded] = useState(!sid);
  const hall = useRequest(() => api('getHall', { params: { cid: cid ?? '' } }), [cid], Boolean(cid && staff));

  useEffect(() => {
    if (!sid) return;
    api('getService', { params: { sid } }).then((s) => {
      setForm({
        name: s.name, category: s.category, kind: s.kind, durationMin: String(s.durationMin), location: s.location ?? '', description: s.description ?? '',
        slotMinutes: String(s.schedule.slotMinutes), capacityPerSlot: String(s.schedule.capacityPerSlot), bookAheadDays: String(s.schedule.bookAheadDays),
      });
      setMaterials(s.materials.length ? s.materials : ['']);
      const week = emptyWeek();
      for (const d of WEEKDAYS) week[d] = (s.schedule.weekly[d] ?? []).map((r) => [r[0], r[1]] as TimeRange);
      setWeekly(week);
      setClosures(s.schedule.closures ?? []);
      setOpenDays(s.schedule.openDays ?? []);
      setLoaded(true);
    }, setLoadError);
  }, [sid]);

  const body = (): ApiBody<'createService'> => ({
    name: form.name.trim(),
    category: form.category.trim().toUpperCase(),
    kind: form.kind,
    durationMin: Number(form.durationMin),
    materials: materials.map((m) => m.trim()).filter(Boolean),
    ...(form.location.trim() ? { location: form.location.trim() } : {}),
    ...(form.description.trim() ? { description: form.description.trim() } : {}),
    schedule: {
      weekly: Object.fromEntries(WEEKDAYS.filter((d) => weekly[d].length).map((d) => [d, weekly[d].map(([a, b]) => [a.trim(), b.trim()] as TimeRange)])),
      slotMinutes: Number(form.slotMinutes),
      capacityPerSlot: Number(form.capacityPerSlot),
      bookAheadDays: Number(form.bookAheadDays),
      closures: closures.map((d) => d.trim()).filter(Boolean),
      openDays: openDays.map((d) => d.trim()).filter(Boolean),
    },
  });
  const save = useSubmit((key) =>
    sid
      ? api('updateService', { params: { sid }, body: body(), idempotencyKey: key })
      : api('createService', { params: { cid: cid ?? '' }, body: body(), idempotencyKey: key }),
  );
  const errors = fieldErrors(save.error);
  /** The first message at or under a path: 'schedule.weekly' also catches 'schedule.weekly.mon.0'. */
  const errorAt = (path: string): string | undefined => {
    const key = Object.keys(errors).find((k) => k === path || k.startsWith(`${path}.`));
    return key ? errors[key] : undefined;
  };
  const set = (name: keyof Form) => (value: string) => setForm((f) => ({ ...f, [name]: value }));
  const setRange = (day: Weekday, i: number, end: 0 | 1, value: string) =>
    setWeekly((w) => ({ ...w, [day]: w[day].map((r, j) => (j === i ? (end === 0 ? [value, r[1]] : [r[0], value]) : r)) }));

  if (!cid || !staff) return <PageShell><Empty title="仅限本社区工作人员使用" /></PageShell>;
  if (loadError) return <PageShell><ErrorState error={loadError} /></PageShell>;
  if (!loaded) return <PageShell><Loading /></PageShell>;
  const categories = hall.data?.categories ?? [];
  return (
    <PageShell className="stack desk-column">
      <Card title={sid ? '修改服务事项' : '新建服务事项'}>
        <Field label="名称" value={form.name} onInput={set('name')} placeholder="如：社保卡办理" maxlength={40} error={errors.name} />
        <View className="field">
          <View className="field__label">业务类别</View>
          {categories.length ? (
            <View className="svc-chips" role="radiogroup" aria-label="业务类别">
              {categories.map((c) => (
                <View key={c.code} role="radio" aria-checked={form.category === c.code} className={`appt-chip ${form.category === c.code ? 'appt-chip--on' : ''}`} onClick={() => set('category')(c.code)}>
                  <View className="appt-chip__main">{form.category === c.code ? `✓ ${c.code}` : c.code}</View>
                  <View>{c.name}</View>
                </View>
              ))}
            </View>
          ) : (
            <Input className="field__input" value={form.category} maxlength={1} placeholder="A" aria-label="业务类别" onInput={(e) => set('category')(e.detail.value)} />
          )}
          {errors.category ? <View className="field__error" role="alert">错误：{errors.category}</View> : <View className="field__hint">{categories.length ? '与取号大厅的业务类别一致' : '一个大写字母，如 A，与取号大厅的业务类别一致'}</View>}
        </View>
        <View className="field">
          <View className="field__label">类型</View>
          <View className="svc-chips" role="radiogroup" aria-label="类型">
            {(Object.keys(KIND_TEXT) as ServiceKind[]).map((k) => (
              <View key={k} role="radio" aria-checked={form.kind === k} className={`appt-chip ${form.kind === k ? 'appt-chip--on' : ''}`} onClick={() => setForm((f) => ({ ...f, kind: k }))}>
                <View className="appt-chip__main">{`${form.kind === k ? '✓ ' : ''}${KIND_TEXT[k]}`}</View>
              </View>
            ))}
          </View>
          {errors.kind ? <View className="field__error" role="alert">错误：{errors.kind}</View> : null}
        </View>
        <Field label="办理时长（分钟）" type="number" value={form.durationMin} onInput={set('durationMin')} error={errors.durationMin} />
        <Field label="办理地点" optional value={form.location} onInput={set('location')} placeholder="如：一楼便民服务大厅 3 号窗口" maxlength={60} error={errors.location} />
        <AreaField label="说明" value={form.description} onInput={set('description')} maxlength={500} error={errors.description} />
      </Card>

      <Card title="所需材料（一次告知）">
        <View className="muted">请列全：居民预约前会看到完整清单。</View>
        <TextList items={materials} onChange={setMaterials} placeholder="如：本人居民身份证原件" label="材料" maxlength={100} addText="添加一项材料" errorAt={(i) => errorAt(`materials.${i}`)} />
        {errors.materials ? <View className="field__error" role="alert">错误：{errors.materials}</View> : null}
      </Card>

      <Card title="每周开放时间" extra={<Button small variant="secondary" onClick={() => setWeekly({ ...emptyWeek(), mon: WORKDAY, tue: WORKDAY, wed: WORKDAY, thu: WORKDAY, fri: WORKDAY })}>填入工作日</Button>}>
        <View className="muted">“填入工作日”：周一至周五 上午 9:00 至 12:00、下午 14:00 至 17:30。点开始或结束时间，从转盘中选择。</View>
        {WEEKDAYS.map((d) => (
          <View key={d} className="svc-day">
            <View className="svc-day__head">
              <View className="svc-day__name">{weekdayText(d)}{weekly[d].length ? '' : '（不开放）'}</View>
              <Button small variant="plain" disabled={weekly[d].length >= 6} onClick={() => setWeekly((w) => ({ ...w, [d]: [...w[d], ['', ''] as TimeRange] }))}>
                添加时间段
              </Button>
            </View>
            {weekly[d].map((r, i) => (
              <View key={i} className={`svc-range ${errorAt(`schedule.weekly.${d}.${i}`) ? 'field--invalid' : ''}`}>
                <TimePicker value={r[0]} fallback={i === 0 ? '09:00' : '14:00'} placeholder="开始时间" label={`${weekdayText(d)}第${i + 1}段开始`} onChange={(v) => setRange(d, i, 0, v)} />
                <View className="svc-range__dash">至</View>
                <TimePicker value={r[1]} fallback={i === 0 ? '12:00' : '17:30'} placeholder="结束时间" label={`${weekdayText(d)}第${i + 1}段结束`} onChange={(v) => setRange(d, i, 1, v)} />
                <Button small variant="plain" className="svc-remove" onClick={() => setWeekly((w) => ({ ...w, [d]: w[d].filter((_, j) => j !== i) }))}>删除</Button>
              </View>
            ))}
            {errorAt(`schedule.weekly.${d}`) ? <View className="field__error" role="alert">错误：{errorAt(`schedule.weekly.${d}`)}</View> : null}
          </View>
        ))}
        {errors['schedule.weekly'] ? <View className="field__error" role="alert">错误：{errors['schedule.weekly']}</View> : null}
      </Card>

      <Card title="预约规则">
        <Field label="每个时段分钟数" type="number" value={form.slotMinutes} onInput={set('slotMinutes')} hint="5–240 分钟" error={errorAt('schedule.slotMinutes')} />
        <Field label="每个时段名额" type="number" value={form.capacityPerSlot} onInput={set('capacityPerSlot')} error={errorAt('schedule.capacityPerSlot')} />
        <Field label="可提前预约天数" type="number" value={form.bookAheadDays} onInput={set('bookAheadDays')} hint="1–60 天" error={errorAt('schedule.bookAheadDays')} />
      </Card>

      <Card title="停办日期">
        <View className="muted">按计划开放、但当天停办（轮休、临时闭馆）。</View>
        <DateList items={closures} onChange={setClosures} label="停办日期" addText="添加停办日期" errorAt={(i) => errorAt(`schedule.closures.${i}`)} />
      </Card>
      <Card title="加开日期">
        <View className="muted">节假日照常开放的日期（值班）。</View>
        <DateList items={openDays} onChange={setOpenDays} label="加开日期" addText="添加加开日期" errorAt={(i) => errorAt(`schedule.openDays.${i}`)} />
      </Card>

      <Button block loading={save.busy} loadingText="正在保存…" onClick={async () => {
        const saved = await save.run();
        if (saved) {
          toast(sid ? '已保存' : '服务事项已新建', 'success');
          back();
        }
      }}>
        {sid ? '保存修改' : '新建服务事项'}
      </Button>
    </PageShell>
  );
}

/** Today on the device, as YYYY-MM-DD (the earliest date worth picking). */
function todayText(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}
/** '2030-03-20' → '2030年3月20日 周三': a closure may lie in another year. */
const closureText = (d: string): string => dateText(d, { year: true });

/** Dates chosen on a date picker: each row can be changed or removed; 添加 opens a picker too. */
function DateList({ items, onChange, label, addText, errorAt }: {
  items: string[]; onChange: (items: string[]) => void; label: string; addText: string; errorAt: (i: number) => string | undefined;
}) {
  const today = todayText();
  const put = (next: string[]) => onChange([...new Set(next)].sort());
  return (
    <View>
      {items.map((item, i) => (
        <View key={`${item}-${i}`} className={errorAt(i) ? 'field--invalid' : ''}>
          <View className="svc-list-row">
            <Picker mode="date" className="svc-picker" value={item} start={today} onChange={(e) => put(items.map((x, j) => (j === i ? e.detail.value : x)))}>
              <View className="field__input svc-picker__value" role="button" aria-label={`${label}${i + 1}：${closureText(item)}，点按修改`}>
                {closureText(item)}
              </View>
            </Picker>
            <Button small variant="plain" className="svc-remove" onClick={() => onChange(items.filter((_, j) => j !== i))}>删除</Button>
          </View>
          {errorAt(i) ? <View className="field__error" role="alert">错误：{errorAt(i)}</View> : null}
        </View>
      ))}
      <View className="svc-list-row">
        <Picker mode="date" value={today} start={today} onChange={(e) => put([...items, e.detail.value])}>
          <View className="btn btn--secondary btn--small svc-add" role="button" aria-label={`${addText}：点按选择日期`}>{addText}</View>
        </Picker>
      </View>
    </View>
  );
}

/** Lines to add and remove: materials. Each grows with its text, so a long one is read in full. */
function TextList({ items, onChange, placeholder, label, maxlength, addText, errorAt }: {
  items: string[]; onChange: (items: string[]) => void; placeholder: string; label: string; maxlength: number; addText: string;
  errorAt: (i: number) => string | undefined;
}) {
  return (
    <View>
      {items.map((item, i) => (
        <View key={i} className={errorAt(i) ? 'field--invalid' : ''}>
          <View className="svc-list-row">
            <Textarea
              className="field__input svc-textarea"
              value={item}
              placeholder={placeholder}
              maxlength={maxlength}
              autoHeight
              aria-label={`${label}${i + 1}`}
              nativeProps={{ 'aria-label': `${label}${i + 1}` }}
              onInput={(e) => onChange(items.map((x, j) => (j === i ? e.detail.value.replace(/\n/g, '') : x)))}
            />
            <Button small variant="plain" className="svc-remove" onClick={() => onChange(items.filter((_, j) => j !== i))}>删除</Button>
          </View>
          {errorAt(i) ? <View className="field__error" role="alert">错误：{errorAt(i)}</View> : null}
        </View>
      ))}
      <View className="svc-list-row">
        <Button small variant="secondary" onClick={() => onChange([...items, ''])}>{addText}</Button>
      </View>
    </View>
  );
}

/** Field's markup around a growing text area (the description is several sentences). */
function AreaField({ label, value, onInput, maxlength, error }: { label: string; value: string; onInput: (value: string) => void; maxlength: number; error?: string }) {
  return (
    <View className={`field ${error ? 'field--invalid' : ''}`}>
      <View className="field__label">
        {label}
        <View className="field__optional" style={{ display: 'inline' }}>（选填）</View>
      </View>
      <Textarea className="field__input svc-textarea" value={value} maxlength={maxlength} autoHeight aria-label={label} nativeProps={{ 'aria-label': label }} onInput={(e) => onInput(e.detail.value)} />
      {error ? <View className="field__error" role="alert">错误：{error}</View> : null}
    </View>
  );
}
