import { useState } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { DateTimePicker, isoAt, localParts } from '../../components/date-time-picker';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { StaffOnly } from '../../components/staff-only';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, redirect, useQuery } from '../../nav';
import { toast } from '../../platform';
import { useCurrentCommunity } from '../../store/community';
import { ChoiceRow, TextBox } from '../shared';

const DEFAULT_ZONE = 'Asia/Shanghai';
const DAY_MS = 24 * 3600_000;

/** An instant as the community's wall clock to the minute (ISO with its offset). */
function minuteOf(instant: Date, timeZone: string): string {
  const { date, time } = localParts(instant, timeZone);
  return isoAt(date, time, timeZone);
}

/** 发起协商 (staff): question, options, single/multiple choice, window, eligibility and quorum. */
export default function Editor() {
  const query = useQuery();
  const { cid, staff } = useCurrentCommunity();
  const { user } = useMe();
  const [title, setTitle] = useState(query.title ?? '');
  const [body, setBody] = useState('');
  const [options, setOptions] = useState<string[]>(['同意', '不同意', '弃权']);
  const [maxChoices, setMaxChoices] = useState('1');
  const [eligibility, setEligibility] = useState<'resident' | 'household'>('household');
  // Times are the community's wall clock: its zone comes with the community.
  const community = useRequest(() => api('getCommunity', { params: { cid: cid ?? '' } }), [cid], Boolean(cid));
  const timeZone = community.data?.timezone ?? DEFAULT_ZONE;
  // Opens now, closes a week later on the hour.
  const [opensAt, setOpensAt] = useState(() => minuteOf(new Date(), DEFAULT_ZONE));
  const [closesAt, setClosesAt] = useState(() => minuteOf(new Date(Math.ceil(Date.now() / 3600_000) * 3600_000 + 7 * DAY_MS), DEFAULT_ZONE));
  const [quorum, setQuorum] = useState('');
  const create = useSubmit((key) =>
    api('createConsultation', {
      params: { cid: cid ?? '' },
      body: {
        title,
        body,
        options: options.filter((o) => o.trim()).map((label) => ({ label: label.trim() })),
        maxChoices: Number(maxChoices) || 1,
        eligibility,
        opensAt,
        closesAt,
        ...(quorum.trim() ? { quorumPercent: Number(quorum) } : {}),
        ...(query.topicId ? { topicId: query.topicId } : {}),
      },
      idempotencyKey: key,
    }),
  );
  const errors = fieldErrors(create.error);

  if (!cid || (user && !staff)) return <StaffOnly purpose="此页面用于社区工作人员发起协商投票。" />;
  return (
    <PageShell className="stack desk-column">
      {query.topicId ? <View className="muted">来自居民议题：{query.title}。发起后该议题将标为“已转为协商”。</View> : null}
      <Card title="议题">
        <Field label="标题" value={title} onInput={setTitle} maxlength={60} error={errors.title} />
        <TextBox label="说明（背景、方案、费用等）" value={body} onInput={setBody} maxlength={5000} error={errors.body} />
      </Card>
      <Card title="选项">
        {options.map((label, i) => (
          <View key={i} className="row">
            <View style={{ flex: 1 }}>
              <Field label={`选项 ${i + 1}`} value={label} onInput={(v) => setOptions((o) => o.map((x, j) => (j === i ? v : x)))} maxlength={60} error={errors[`options.${i}.label`]} />
            </View>
            {options.length > 2 ? (
              <Button small variant="plain" onClick={() => setOptions((o) => o.filter((_, j) => j !== i))}>
                删除
              </Button>
            ) : null}
          </View>
        ))}
        {errors.options ? <View className="textbox__error">错误：{errors.options}</View> : null}
        {options.length < 20 ? (
          <Button small variant="secondary" onClick={() => setOptions((o) => [...o, ''])}>
            增加选项
          </Button>
        ) : null}
        <Field label="最多可选几项（1 为单选）" value={maxChoices} onInput={setMaxChoices} type="number" maxlength={2} error={errors.maxChoices} />
      </Card>
      <Card title="投票资格">
        <ChoiceRow label="一户一票（按核实门牌，同户只能投一次）" selected={eligibility === 'household'} multiple={false} onTap={() => setEligibility('household')} />
        <ChoiceRow label="每位已核实居民一票" selected={eligibility === 'resident'} multiple={false} onTap={() => setEligibility('resident')} />
        <Field label="法定参与率（%）" optional value={quorum} onInput={setQuorum} type="digit" maxlength={5} hint="例如 50：投票数达到有资格人（户）数的 50% 方为有效" error={errors.quorumPercent} />
      </Card>
      <Card title="投票时间">
        <DateTimePicker label="开始时间" value={opensAt} onChange={setOpensAt} timeZone={timeZone} error={errors.opensAt} />
        <DateTimePicker label="截止时间" value={closesAt} onChange={setClosesAt} timeZone={timeZone} hint="截止后自动计票并公开结果" error={errors.closesAt} />
      </Card>
      <Button
        block
        loading={create.busy}
        loadingText="正在发起…"
        onClick={async () => {
          const created = await create.run();
          if (created) {
            toast('协商已发起', 'success');
            redirect(PAGES.consultationDetail, { id: created.id });
          }
        }}
      >
        发起协商
      </Button>
    </PageShell>
  );
}
