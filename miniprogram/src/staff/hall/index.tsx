import { useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import { AppError } from '@contract/errors';
import { api, type ApiResponse } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { tappable } from '../../components/a11y';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { TimePicker } from '../../components/time-picker';
import { ErrorState, Loading } from '../../components/state';
import { StaffOnly } from '../../components/staff-only';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go, useQuery } from '../../nav';
import { toast } from '../../platform';
import { isStaff, useCurrentCommunity } from '../../store/community';
import { PairBoardCard } from './pair-board';
import './index.css';

type Hall = ApiResponse<'getHall'>;

/** The form keeps numbers as typed; the contract's schema (on the server) judges them. */
interface Draft {
  categories: { code: string; name: string }[];
  windows: { no: string; categories: string[] }[];
  priorityRatio: string;
  maxWaitMin: string;
  hours: { days: number[]; open: string; close: string }[];
}

/** A hall not laid out yet starts from one category served at one window. */
const FIRST_DRAFT: Draft = { categories: [{ code: 'A', name: '' }], windows: [{ no: '1', categories: ['A'] }], priorityRatio: '2', maxWaitMin: '60', hours: [] };
/** A new row of 办理时间 starts as a working week. */
const WORKING_WEEK = { days: [1, 2, 3, 4, 5], open: '09:00', close: '17:00' };
const WEEKDAYS = ['周一', '周二', '周三', '周四', '周五', '周六', '周日'];

const draftOf = (hall: Hall): Draft => ({
  categories: hall.categories.map(({ code, name }) => ({ code, name })),
  windows: hall.windows.map((w) => ({ no: String(w.no), categories: [...w.categories] })),
  priorityRatio: String(hall.priorityRatio),
  maxWaitMin: String(hall.maxWaitMin),
  hours: hall.hours.map((h) => ({ days: [...h.days], open: h.open, close: h.close })),
});

/** The next unused letter for a new category (A, B, C…). */
function nextCode(used: string[]): string {
  for (let c = 65; c <= 90; c++) if (!used.includes(String.fromCharCode(c))) return String.fromCharCode(c);
  return '';
}

/** A number as typed, or NaN for nothing, so the server answers 必填 / 应为数字 rather than guessing. */
const numberOf = (text: string): number => (text.trim() ? Number(text) : Number.NaN);

function Chip({ label, on, onTap }: { label: string; on: boolean; onTap: () => void }) {
  return (
    <View className={`hall-chip ${on ? 'hall-chip--on' : ''}`} {...tappable(onTap, { role: 'checkbox', checked: on, label })} onClick={onTap}>
      {on ? `✓ ${label}` : label}
    </View>
  );
}

/**
 * 大厅布局 (staff): the hall's categories (code and name), the windows and the categories each
 * serves, and the calling rules (priority ratio, maximum wait). Saved as one PUT; the messages
 * next to the fields are the contract schema's, in Chinese. Side by side at a desk.
 */
export default function HallLayoutPage() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const hall = useRequest(
    async () => {
      try {
        return await api('getHall', { params: { cid: cid ?? '' } });
      } catch (error) {
        // No hall yet: the page starts a first layout.
        if (error instanceof AppError && error.code === 'NOT_FOUND') return undefined;
        throw error;
      }
    },
    [cid],
    Boolean(cid && allowed),
  );
  const [draft, setDraft] = useState<Draft | undefined>(undefined);
  useEffect(() => {
    if (!hall.loading && !hall.error) setDraft(hall.data ? draftOf(hall.data) : FIRST_DRAFT);
  }, [hall.loading, hall.error, hall.data]);

  const save = useSubmit((key, d: Draft) =>
    api('putHall', {
      params: { cid: cid ?? '' },
      body: {
        categories: d.categories.map((c) => ({ code: c.code, name: c.name })),
        windows: d.windows.map((w) => ({ no: numberOf(w.no), categories: w.categories })),
        priorityRatio: numberOf(d.priorityRatio),
        maxWaitMin: numberOf(d.maxWaitMin),
        hours: d.hours,
      },
      idempotencyKey: key,
    }),
  );
  const errors = fieldErrors(save.error);

  if (!cid || (user && !allowed)) {
    return <StaffOnly purpose="此页面用于设置服务大厅的业务类别、窗口和叫号规则。" />;
  }
  if (hall.error) return <PageShell><ErrorState error={hall.error} onRetry={() => void hall.reload()} /></PageShell>;
  if (!draft) return <PageShell><Loading /></PageShell>;

  const update = (change: (d: Draft) => Draft) => setDraft((d) => (d ? change(d) : d));
  const setCategory = (i: number, patch: Partial<Draft['categories'][number]>) =>
    update((d) => {
      const before = d.categories[i]?.code;
      const categories = d.categories.map((c, j) => (j === i ? { ...c, ...patch } : c));
      // A renamed code follows into the windows that serve it.
      const after = patch.code;
      const windows = after !== undefined && before ? d.windows.map((w) => ({ ...w, categories: w.categories.map((c) => (c === before ? after : c)) })) : d.windows;
      return { ...d, categories, windows };
    });
  const removeCategory = (i: number) =>
    update((d) => {
      const code = d.categories[i]?.code;
      return { ...d, categories: d.categories.filter((_, j) => j !== i), windows: d.windows.map((w) => ({ ...w, categories: w.categories.filter((c) => c !== code) })) };
    });
  const toggleServes = (i: number, code: string) =>
    update((d) => ({
      ...d,
      windows: d.windows.map((w, j) => (j !== i ? w : { ...w, categories: w.categories.includes(code) ? w.categories.filter((c) => c !== code) : [...w.categories, code] })),
    }));
  const setHours = (i: number, patch: Partial<Draft['hours'][number]>) => update((d) => ({ ...d, hours: d.hours.map((h, j) => (j === i ? { ...h, ...patch } : h)) }));
  const toggleDay = (i: number, day: number) =>
    update((d) => ({ ...d, hours: d.hours.map((h, j) => (j !== i ? h : { ...h, days: h.days.includes(day) ? h.days.filter((x) => x !== day) : [...h.days, day].sort((a, b) => a - b) })) }));
  const nextWindowNo = String(Math.max(0, ...draft.windows.map((w) => Number(w.no) || 0)) + 1);

  return (
    <PageShell className="stack">
      {hall.data ? null : <View className="muted">本社区尚未设置服务大厅。填写业务类别和窗口后保存，居民即可取号。</View>}
      <View className="hall-panes">
        <Card title="业务类别">
          <View className="muted">代码是号码的字母（如 A 类的号为 A001）。</View>
          {draft.categories.map((c, i) => (
            <View key={i} className="hall-row">
              <View className="hall-row__code">
                <Field label={`第 ${i + 1} 类代码`} value={c.code} maxlength={1} onInput={(v) => setCategory(i, { code: v.trim().toUpperCase() })} error={errors[`categories.${i}.code`]} />
              </View>
              <View className="hall-row__grow">
                <Field label={`第 ${i + 1} 类名称`} value={c.name} placeholder="如 社保" maxlength={20} onInput={(v) => setCategory(i, { name: v })} error={errors[`categories.${i}.name`]} />
              </View>
              {draft.categories.length > 1 ? (
                <Button small variant="plain" onClick={() => removeCategory(i)}>
                  {`删除第 ${i + 1} 类`}
                </Button>
              ) : null}
            </View>
          ))}
          {errors.categories ? <View className="hall-error" role="alert">错误：{errors.categories}</View> : null}
          {draft.categories.length < 26 ? (
            <Button small variant="secondary" onClick={() => update((d) => ({ ...d, categories: [...d.categories, { code: nextCode(d.categories.map((c) => c.code)), name: '' }] }))}>
              增加业务类别
            </Button>
          ) : null}
        </Card>
        <Card title="窗口">
          {draft.windows.map((w, i) => (
            <View key={i} className="hall-row">
              <View className="hall-row__code">
                <Field label="窗口号" value={w.no} type="number" maxlength={2} onInput={(v) => update((d) => ({ ...d, windows: d.windows.map((x, j) => (j === i ? { ...x, no: v } : x)) }))} error={errors[`windows.${i}.no`]} />
              </View>
              <View className="hall-row__serves">
                <View className="muted">{`${w.no || '?'} 号窗口办理的业务`}</View>
                <View className="hall-chips">
                  {draft.categories.filter((c) => c.code).map((c) => (
                    <Chip key={c.code} label={`${c.name || '未命名'}（${c.code}）`} on={w.categories.includes(c.code)} onTap={() => toggleServes(i, c.code)} />
                  ))}
                </View>
                {errors[`windows.${i}.categories`] ? <View className="hall-error" role="alert">错误：{errors[`windows.${i}.categories`]}</View> : null}
              </View>
              {draft.windows.length > 1 ? (
                <Button small variant="plain" onClick={() => update((d) => ({ ...d, windows: d.windows.filter((_, j) => j !== i) }))}>
                  {`删除 ${w.no || '?'} 号窗口`}
                </Button>
              ) : null}
            </View>
          ))}
          {errors.windows ? <View className="hall-error" role="alert">错误：{errors.windows}</View> : null}
          {draft.windows.length < 50 ? (
            <Button small variant="secondary" onClick={() => update((d) => ({ ...d, windows: [...d.windows, { no: nextWindowNo, categories: [] }] }))}>
              增加窗口
            </Button>
          ) : null}
        </Card>
      </View>
      <Card title="办理时间">
        <View className="muted">在取号页、叫号屏和取号海报上告诉群众；法定节假日按国家安排休息。</View>
        {draft.hours.map((h, i) => (
          <View key={i} className="hall-row hall-row--hours">
            <View className="hall-row__serves">
              <View className="hall-chips">
                {WEEKDAYS.map((name, d) => (
                  <Chip key={name} label={name} on={h.days.includes(d + 1)} onTap={() => toggleDay(i, d + 1)} />
                ))}
              </View>
              {errors[`hours.${i}.days`] ? <View className="hall-error" role="alert">错误：{errors[`hours.${i}.days`]}</View> : null}
              <View className="hall-times">
                <TimePicker value={h.open} fallback="09:00" placeholder="开始时间" label={`第 ${i + 1} 段开始时间`} onChange={(open) => setHours(i, { open })} />
                <View>至</View>
                <TimePicker value={h.close} fallback="17:00" placeholder="结束时间" label={`第 ${i + 1} 段结束时间`} onChange={(close) => setHours(i, { close })} />
              </View>
              {errors[`hours.${i}.close`] ? <View className="hall-error" role="alert">错误：{errors[`hours.${i}.close`]}</View> : null}
            </View>
            <Button small variant="plain" onClick={() => update((d) => ({ ...d, hours: d.hours.filter((_, j) => j !== i) }))}>
              {`删除第 ${i + 1} 段`}
            </Button>
          </View>
        ))}
        {draft.hours.length < 7 ? (
          <Button small variant="secondary" onClick={() => update((d) => ({ ...d, hours: [...d.hours, { ...WORKING_WEEK, days: [...WORKING_WEEK.days] }] }))}>
            增加办理时间
          </Button>
        ) : null}
      </Card>
      <Card title="叫号规则">
        <Field
          label="优先号连续叫几个后，插入一个普通号"
          value={draft.priorityRatio}
          type="number"
          maxlength={2}
          onInput={(v) => update((d) => ({ ...d, priorityRatio: v }))}
          hint="1 到 10；老人、残疾人、预约签到等为优先号"
          error={errors.priorityRatio}
        />
        <Field
          label="最长等候（分钟）"
          value={draft.maxWaitMin}
          type="number"
          maxlength={3}
          onInput={(v) => update((d) => ({ ...d, maxWaitMin: v }))}
          hint="5 到 480；等候超过这个时间的号优先叫"
          error={errors.maxWaitMin}
        />
      </Card>
      <Button
        block
        loading={save.busy}
        loadingText="正在保存…"
        onClick={async () => {
          const saved = await save.run(draft);
          if (saved) {
            hall.setData(saved);
            toast('大厅布局已保存', 'success');
          }
        }}
      >
        保存大厅布局
      </Button>
      {hall.data ? <PairBoardCard cid={cid} /> : null}
      {hall.data ? (
        <Card title="大厅取号海报">
          <View className="muted">未加入社区的群众扫码即可取号；二维码每天更新，请每天打印当天的海报。</View>
          <Button block variant="secondary" onClick={() => go(PAGES.hallPoster, { cid })}>
            打印今天的取号海报
          </Button>
        </Card>
      ) : null}
    </PageShell>
  );
}
