import { useState } from 'react';
import { View } from '@tarojs/components';
import type { RequestCategory } from '@contract/requests';
import { api, type ApiResponse } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { DateTimePicker, dateText, isoAt, localParts } from '../../components/date-time-picker';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { StaffOnly } from '../../components/staff-only';
import { ChoiceRow, TextBox } from '../../consultations/shared';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go, useQuery } from '../../nav';
import { toast } from '../../platform';
import { isStaff, useCurrentCommunity } from '../../store/community';
import { CategoryChips, Line, clockText, percentText } from '../shared';
import '../shared.css';

const ZONE = 'Asia/Shanghai';
/** A visit may be written up afterwards, within the month before. */
const LOOKBACK_DAYS = 31;

type Visit = ApiResponse<'recordVisit'>;

/**
 * 走访入户 (网格员): the date, the household and a short note; a problem found at the door can be
 * filed on the household's behalf, owned by the worker who visited. Below, this month's
 * 走访入户率 of each grid.
 */
export default function Visits() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const [when, setWhen] = useState(() => {
    const { date, time } = localParts(new Date(), ZONE);
    return isoAt(date, time, ZONE);
  });
  const [household, setHousehold] = useState('');
  const [note, setNote] = useState('');
  const [followUp, setFollowUp] = useState(false);
  const [category, setCategory] = useState<RequestCategory>();
  const [problem, setProblem] = useState('');
  const [recorded, setRecorded] = useState<Visit>();
  const stats = useRequest(() => api('stats', { params: { cid: cid ?? '' } }), [cid], Boolean(cid && allowed));
  const record = useSubmit((key) =>
    api('recordVisit', {
      params: { cid: cid ?? '' },
      body: {
        household: household.trim(),
        date: when.slice(0, 10),
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(followUp && category ? { followUp: { category, text: problem.trim() } } : {}),
      },
      idempotencyKey: key,
    }),
  );
  const errors = fieldErrors(record.error);
  const [missing, setMissing] = useState<string>();

  if (!cid || (user && !allowed)) return <StaffOnly purpose="此页面用于网格员记录走访入户。" />;

  const submit = async () => {
    const problemMissing = followUp && (!category ? '请选择代办诉求的类别' : !problem.trim() ? '请写下居民反映的问题' : undefined);
    setMissing(problemMissing || undefined);
    if (problemMissing) return;
    const visit = await record.run();
    if (!visit) return;
    toast('走访已记录', 'success');
    setRecorded(visit);
    setHousehold('');
    setNote('');
    setFollowUp(false);
    setCategory(undefined);
    setProblem('');
    void stats.reload();
  };

  const earliest = localParts(new Date(Date.now() - LOOKBACK_DAYS * 86400_000), ZONE).date;
  return (
    <PageShell className="stack desk-column">
      {recorded ? (
        <View className="req-clock" role="status">
          <View className="req-clock__title">已记录 {dateText(recorded.date)} 走访 {recorded.household}</View>
          {recorded.requestId ? (
            <Button small variant="plain" onClick={() => go(PAGES.requestDetail, { id: recorded.requestId, view: 'staff' })}>
              查看代办的诉求
            </Button>
          ) : null}
        </View>
      ) : null}
      <Card title={<View className="h2">记录走访入户</View>}>
        <DateTimePicker label="走访时间" value={when} onChange={setWhen} timeZone={ZONE} start={earliest} error={errors.date} />
        <Field label="门牌" value={household} onInput={setHousehold} maxlength={16} placeholder="楼栋-单元-房号，如 3-2-501" error={errors.household} />
        <TextBox label="走访情况（选填）" value={note} onInput={setNote} maxlength={200} placeholder="如 独居老人，身体尚好，需要助餐服务" error={errors.note} />
        <ChoiceRow label="居民反映了问题，代为提交诉求（由我负责办理）" selected={followUp} multiple onTap={() => setFollowUp(!followUp)} />
        {followUp ? (
          <View className="stack">
            <CategoryChips value={category} onChange={setCategory} />
            {category ? <View className="muted">{clockText(category)}。</View> : null}
            <TextBox label="居民反映的问题" value={problem} onInput={setProblem} maxlength={500} error={errors['followUp.text']} />
          </View>
        ) : null}
        {missing ? <View className="field__error" role="alert">错误：{missing}</View> : null}
        <Button block loading={record.busy} loadingText="正在记录…" onClick={() => void submit()}>
          记录走访
        </Button>
      </Card>
      {stats.data?.requests?.grids.length ? (
        <Card title={<View className="h2">本月走访入户率</View>}>
          {stats.data.requests.grids.map((grid) => (
            <Line key={grid.gridId ?? grid.name} label={grid.name}>
              {grid.visitRate === null ? '暂无核实住户' : `${percentText(grid.visitRate)}（已走访 ${grid.visitedHouseholds} 户 / 共 ${grid.households} 户）`}
            </Line>
          ))}
        </Card>
      ) : null}
    </PageShell>
  );
}
