import { useState } from 'react';
import { View } from '@tarojs/components';
import { useDidShow } from '@tarojs/taro';
import type { ApiResponse } from '../../api/client';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { go, useQuery } from '../../nav';
import { toast } from '../../platform';
import { formatDateTime } from '../../utils/format';
import { VOLUNTEER_PAGES, hoursText } from '../shared';
import '../shared.css';

type Signup = ApiResponse<'listSignups'>['items'][number];

/** 报名与考勤 (staff): who signed up and attended; record attendance; verify hours into the ledger. */
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
          <View className="vol-actions">
            <Button block variant="secondary" onClick={() => go(VOLUNTEER_PAGES.qr, { id })}>出示签到二维码</Button>
          </View>
        </Card>
      ) : null}
      <Async state={sheet} isEmpty={(p) => p.items.length === 0} empty={<Empty title="还没有人报名" />}>
        {(p) => p.items.map((s) => <Row key={s.userId} activityId={id} s={s} onChange={() => void sheet.reload()} />)}
      </Async>
    </PageShell>
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
              <Field label="认定时长（小时）" optional type="digit" value={hours} onInput={setHours} hint="不填：按签到签退时间取整到半小时，最多为活动认定时长" />
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
