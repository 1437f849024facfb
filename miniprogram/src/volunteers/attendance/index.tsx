import { useState } from 'react';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import type { ApiResponse } from '../../api/client';
import { api } from '../../api/client';
import { tappable } from '../../components/a11y';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { useQuery } from '../../nav';
import { scanCode, toast } from '../../platform';
import { formatDateTime } from '../../utils/format';
import { hoursText } from '../shared';
import '../shared.css';

type Signup = ApiResponse<'listSignups'>['items'][number];

/**
 * 扫码考勤 (staff, on site): scan each volunteer's personal code to record their check-in or
 * check-out; the sheet of who signed up and attended; record attendance by hand; verify hours.
 */
export default function Attendance() {
  const { id = '' } = useQuery();
  const activity = useRequest(() => api('getActivity', { params: { id } }), [id], Boolean(id));
  const sheet = useRequest(() => api('listSignups', { params: { id }, query: { limit: 100 } }), [id], Boolean(id));
  useDidShow(() => void sheet.reload());
  return (
    <PageShell className="stack">
      {activity.data ? (
        <Card title={activity.data.title}>
          <View className="vol-facts">
            <View>{formatDateTime(activity.data.startsAt)} · {activity.data.place}</View>
            <View>已报名 {activity.data.signedUp} / {activity.data.capacity} 人 · 认定时长 {hoursText(activity.data.hours)} 小时</View>
          </View>
        </Card>
      ) : null}
      <Scanner activityId={id} onRecorded={() => void sheet.reload()} />
      <Async state={sheet} isEmpty={(p) => p.items.length === 0} empty={<Empty title="还没有人报名" />}>
        {(p) => p.items.map((s) => <Row key={s.userId} activityId={id} s={s} onChange={() => void sheet.reload()} />)}
      </Async>
    </PageShell>
  );
}

type Act = 'checkIn' | 'checkOut';
const ACT_NAME: Record<Act, string> = { checkIn: '签到', checkOut: '签退' };

/**
 * Reads a volunteer's code: the camera on weapp (platform.scanCode); on h5, which has no scanner,
 * staff type the code shown under the volunteer's QR into the field.
 */
function Scanner({ activityId, onRecorded }: { activityId: string; onRecorded: () => void }) {
  const [act, setAct] = useState<Act>('checkIn');
  const [typed, setTyped] = useState('');
  const [last, setLast] = useState<string | undefined>(undefined);
  const record = useSubmit((key, code: string) => api(act, { params: { id: activityId }, body: { code }, idempotencyKey: key }));
  const submit = async (code: string) => {
    const signup = await record.run(code);
    if (!signup) return;
    const done = `${signup.name ?? '志愿者'} 已${ACT_NAME[act]}（${formatDateTime(act === 'checkIn' ? signup.checkedInAt : signup.checkedOutAt)}）`;
    setLast(done);
    setTyped('');
    toast(done, 'success');
    onRecorded();
  };
  const scan = async () => {
    const code = await scanCode({ cameraOnly: true });
    if (code) await submit(code);
  };
  return (
    <Card title="扫码考勤">
      <View className="vol-row" role="radiogroup" aria-label="扫码用于">
        {(['checkIn', 'checkOut'] as const).map((a) => (
          <View key={a} className={`vol-chip ${act === a ? 'vol-chip--on' : ''}`} {...tappable(() => setAct(a), { role: 'radio', checked: act === a })} onClick={() => setAct(a)}>
            {act === a ? `✓ 扫码${ACT_NAME[a]}` : `扫码${ACT_NAME[a]}`}
          </View>
        ))}
      </View>
      <View className="vol-muted">请志愿者打开本活动页面出示“我的{ACT_NAME[act]}码”，由您扫描记录。签到码与签退码不能混用。</View>
      <View className="vol-actions">
        {process.env.TARO_ENV === 'h5' ? (
          <>
            <Field label={`志愿者的${ACT_NAME[act]}码`} value={typed} onInput={setTyped} placeholder="二维码下方的码" maxlength={120} />
            <Button block disabled={!typed.trim()} loading={record.busy} loadingText="正在记录…" onClick={() => void submit(typed.trim())}>
              {`确认${ACT_NAME[act]}`}
            </Button>
          </>
        ) : (
          <Button block loading={record.busy} loadingText="正在记录…" onClick={() => void scan()}>{`扫码${ACT_NAME[act]}`}</Button>
        )}
        {last ? <View className="vol-scan-result" role="status">{last}</View> : null}
      </View>
    </Card>
  );
}

function Row({ activityId, s, onChange }: { activityId: string; s: Signup; onChange: () => void }) {
  const [hours, setHours] = useState('');
  const [recording, setRecording] = useState(false);
  const [inAt, setInAt] = useState('');
  const [reason, setReason] = useState('');
  const verify = useSubmit((key) => api('verifyHours', { params: { id: activityId, uid: s.userId }, body: hours.trim() ? { hours: Number(hours) } : {}, idempotencyKey: key }));
  const record = useSubmit((key) =>
    api('recordAttendance', { params: { id: activityId, uid: s.userId }, body: { checkedInAt: `${inAt.trim().replace(' ', 'T')}:00+08:00`, reason: reason.trim() }, idempotencyKey: key }),
  );
  const name = s.name ?? '志愿者';
  const tag = s.status === 'cancelled' ? <StatusTag tone="danger">已取消</StatusTag>
    : s.verifiedAt ? <StatusTag tone="ok">已认定 {hoursText(s.verifiedHours ?? 0)} 小时</StatusTag>
    : s.checkedInAt ? <StatusTag tone="info">{s.checkedOutAt ? '已签退' : '已签到'}</StatusTag>
    : <StatusTag tone="pending">未签到</StatusTag>;
  return (
    <Card title={name} extra={tag}>
      <View className="vol-facts">
        <View>签到：{s.checkedInAt ? formatDateTime(s.checkedInAt) : '—'}{s.attendanceBy === 'staff' ? '（工作人员补录）' : ''}</View>
        <View>签退：{s.checkedOutAt ? formatDateTime(s.checkedOutAt) : '—'}</View>
        {s.attendanceReason ? <View className="vol-muted">补录原因：{s.attendanceReason}</View> : null}
      </View>
      {s.status === 'signed_up' && !s.verifiedAt ? (
        <View className="vol-actions">
          {s.checkedInAt ? (
            <>
              <Field label="认定时长（小时）" optional type="digit" value={hours} onInput={setHours} hint="不填：按签到至签退时间取整到半小时，最多为活动认定时长；未签退时必填" />
              <Button block loading={verify.busy} loadingText="正在认定…" onClick={async () => { const e = await verify.run(); if (e) { toast(`已认定 ${hoursText(e.hours)} 小时`, 'success'); onChange(); } }}>
                {`认定 ${name} 的时长`}
              </Button>
            </>
          ) : null}
          {recording ? (
            <>
              <Field label="签到时间" value={inAt} onInput={setInAt} placeholder="2026-05-20 09:00" />
              <Field label="补录原因" value={reason} onInput={setReason} placeholder="如：手机没电，现场纸质签到" maxlength={200} />
              <Button block variant="secondary" disabled={!inAt.trim() || !reason.trim()} loading={record.busy} loadingText="正在补录…" onClick={async () => { if (await record.run()) { toast('已补录考勤', 'success'); setRecording(false); onChange(); } }}>
                保存补录
              </Button>
            </>
          ) : (
            <Button block variant="plain" onClick={() => setRecording(true)}>补录考勤</Button>
          )}
        </View>
      ) : null}
    </Card>
  );
}
