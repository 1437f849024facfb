import { useState } from 'react';
import { View } from '@tarojs/components';
import type { ApiResponse } from '../../api/client';
import { api } from '../../api/client';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { Async, Empty } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { StaffOnly } from '../../components/staff-only';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { toast } from '../../platform';
import { useCurrentCommunity } from '../../store/community';
import { formatDateTime } from '../../utils/format';
import '../shared.css';

type Volunteer = ApiResponse<'listVolunteers'>['items'][number];

/** 志愿者审核 (staff): pending registrations, approve or decline with a reason. */
export default function Approvals() {
  const { cid, staff } = useCurrentCommunity();
  const [done, setDone] = useState<ReadonlySet<string>>(new Set());
  const pending = useRequest(() => api('listVolunteers', { params: { cid: cid ?? '' }, query: { status: 'pending', limit: 50 } }), [cid], Boolean(cid && staff));
  if (!cid || !staff) return <StaffOnly purpose="此页面用于社区工作人员审核志愿者注册申请。" />;
  return (
    <PageShell className="stack">
      <Async state={pending} isEmpty={(p) => p.items.every((v) => done.has(v.userId))} empty={<Empty title="暂无待审核的志愿者" />}>
        {(p) => (
          <View className="desk-cards">
            {p.items.filter((v) => !done.has(v.userId)).map((v) => <Pending key={v.userId} cid={cid} v={v} onDone={() => setDone((s) => new Set(s).add(v.userId))} />)}
          </View>
        )}
      </Async>
    </PageShell>
  );
}

function Pending({ cid, v, onDone }: { cid: string; v: Volunteer; onDone: () => void }) {
  const [reason, setReason] = useState('');
  const approve = useSubmit((key) => api('approve', { params: { cid, uid: v.userId }, idempotencyKey: key }));
  const decline = useSubmit((key) => api('decline', { params: { cid, uid: v.userId }, body: { reason: reason.trim() }, idempotencyKey: key }));
  const name = v.name ?? '未填写姓名';
  return (
    <Card title={name} extra={<StatusTag tone="pending">待审核</StatusTag>}>
      <View className="vol-facts">
        {v.household ? <View>门牌：{v.household}</View> : null}
        <View>服务技能：{v.skills.join('、')}</View>
        {v.availability ? <View>可服务时间：{v.availability}</View> : null}
        <View className="vol-muted">申请时间：{formatDateTime(v.registeredAt)}</View>
      </View>
      <View className="vol-actions">
        <Button block loading={approve.busy} loadingText="正在通过…" onClick={async () => { if (await approve.run()) { toast(`已通过 ${name}`, 'success'); onDone(); } }}>
          {`通过 ${name}`}
        </Button>
        <Field label="不通过的原因" value={reason} onInput={setReason} placeholder="如：请补充可服务时间" maxlength={200} />
        <Button block variant="danger" disabled={!reason.trim()} loading={decline.busy} loadingText="正在提交…" onClick={async () => { if (await decline.run()) { toast('已告知不通过原因', 'success'); onDone(); } }}>
          不通过
        </Button>
      </View>
    </Card>
  );
}
