import { useEffect, useState } from 'react';
import { View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import type { VolunteerStatus } from '@contract/volunteers';
import { api, type ApiResponse } from '../../api/client';
import { fieldErrors } from '../../api/errors';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { Field } from '../../components/field';
import { PageShell } from '../../components/page-shell';
import { SearchBar, StatusTabs } from '../../components/desk';
import { LoadMore } from '../../components/load-more';
import { Async, Empty } from '../../components/state';
import { StatusTag, type Tone } from '../../components/status-tag';
import { StaffOnly } from '../../components/staff-only';
import { useMe } from '../../hooks/use-me';
import { usePaged } from '../../hooks/use-paged';
import { useRequest } from '../../hooks/use-request';
import { useSubmit } from '../../hooks/use-submit';
import { PAGES, go, useQuery } from '../../nav';
import { confirm, toast } from '../../platform';
import { isStaff, useCurrentCommunity } from '../../store/community';
import { formatDateTime } from '../../utils/format';
import { maskedName } from '../../staff/members/labels';
import { cnDate, hoursText } from '../shared';
import '../shared.css';
import './index.css';

type Volunteer = ApiResponse<'listVolunteers'>['items'][number];

const TABS: VolunteerStatus[] = ['approved', 'pending', 'declined'];
const STATUS_LABEL: Record<VolunteerStatus, string> = { approved: '已通过', pending: '待审核', declined: '未通过' };
const TONE: Record<VolunteerStatus, Tone> = { approved: 'ok', pending: 'pending', declined: 'danger' };

/**
 * 志愿者名册 (staff): registrations by status, searchable by name or 门牌; a volunteer's 台帐 with
 * its services and corrections, and a correction with a reason (append-only: a mistake is put
 * right by another correction). List and 台帐 side by side at a desk, one above the other on a phone.
 */
export default function Roster() {
  const query = useQuery();
  const current = useCurrentCommunity();
  const cid = query.cid ?? current.cid;
  const { user } = useMe();
  const allowed = isStaff(user, cid);
  const [status, setStatus] = useState<VolunteerStatus>('approved');
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<string | undefined>(undefined);

  const paged = usePaged(
    (cursor) => api('listVolunteers', { params: { cid: cid ?? '' }, query: { status, q: q || undefined, limit: 20, cursor } }),
    [cid, status, q],
    Boolean(cid && allowed),
  );

  if (!cid || (user && !allowed)) {
    return <StaffOnly purpose="此页面用于社区工作人员管理志愿者名册和台帐。" />;
  }

  return (
    <PageShell className="stack">
      <StatusTabs tabs={TABS} labels={STATUS_LABEL} value={status} onChange={setStatus} label="志愿者状态" />
      <SearchBar label="按姓名或门牌查找" placeholder="如 张 或 3-2" onSearch={setQ}>
        <Button variant="plain" onClick={() => go(PAGES.volunteerLedger, { cid })}>
          按月查看台帐
        </Button>
      </SearchBar>
      <View className="bo-panes">
        <Async
          state={paged.first}
          isEmpty={(page) => page.items.length + paged.more.length === 0}
          empty={<Empty title={`没有${STATUS_LABEL[status]}的志愿者`} text={q ? '换个姓名或门牌试试。' : undefined} />}
        >
          {({ items }) => (
            <View className="bo-table" style={{ '--bo-columns': '2fr 2fr 3fr 3fr' } as Record<string, string>}>
              <View className="bo-head" aria-hidden="true">
                <View>姓名</View>
                <View>门牌</View>
                <View>服务技能</View>
                <View>累计时长</View>
              </View>
              {[...items, ...paged.more].map((v) => (
                <RosterRow key={v.userId} v={v} chosen={v.userId === chosen} onChoose={() => setChosen(v.userId)} />
              ))}
              <LoadMore paged={paged} />
            </View>
          )}
        </Async>
        {chosen ? <VolunteerLedger key={chosen} cid={cid} uid={chosen} onChanged={() => void paged.first.reload()} /> : null}
      </View>
    </PageShell>
  );
}

function RosterRow({ v, chosen, onChoose }: { v: Volunteer; chosen: boolean; onChoose: () => void }) {
  const name = maskedName(v.name);
  return (
    <View className={`bo-row ${chosen ? 'roster-row--chosen' : ''}`}>
      <View className="bo-row__main">
        {name} <StatusTag tone={TONE[v.status]}>{STATUS_LABEL[v.status]}</StatusTag>
      </View>
      <View>门牌：{v.household ?? '未填写'}</View>
      <View>
        <View>服务技能：{v.skills.join('、')}</View>
        {v.reason ? <View>未通过原因：{v.reason}</View> : null}
        <View className="muted">申请时间：{formatDateTime(v.registeredAt)}</View>
      </View>
      <View className="bo-row__actions">
        <View>累计 {hoursText(v.totalHours)} 小时</View>
        {v.status === 'pending' ? (
          <Button variant="secondary" onClick={() => go(PAGES.volunteerApprovals)}>
            去审核
          </Button>
        ) : (
          <Button variant={chosen ? 'primary' : 'secondary'} onClick={onChoose}>
            {`查看 ${name} 的台帐`}
          </Button>
        )}
      </View>
    </View>
  );
}

/** One volunteer's 台帐: total, entries newest first, and a correction with a reason. */
function VolunteerLedger({ cid, uid, onChanged }: { cid: string; uid: string; onChanged: () => void }) {
  const ledger = useRequest(() => api('volunteerLedger', { params: { cid, uid } }), [cid, uid]);
  const [hours, setHours] = useState('');
  const [reason, setReason] = useState('');
  const correct = useSubmit((key) =>
    api('correct', { params: { cid, uid }, body: { hours: hours.trim() ? Number(hours) : Number.NaN, reason: reason.trim() }, idempotencyKey: key }),
  );
  const errors = fieldErrors(correct.error);
  const loaded = ledger.data !== undefined;
  // On a phone the 台帐 opens below the list: bring it into view once it has loaded.
  useEffect(() => {
    if (loaded) void Taro.pageScrollTo({ selector: '.roster-ledger', duration: 300 }).catch(() => undefined);
  }, [loaded]);

  return (
    <Async state={ledger}>
      {(v) => {
        const name = maskedName(v.name);
        const submit = async () => {
          const amount = Number(hours);
          const sure = await confirm(
            `更正 ${name} 的时长？`,
            `将为 ${name} 记入一条更正：${amount > 0 ? '增加' : '减少'} ${hoursText(Math.abs(amount))} 小时，原因“${reason.trim()}”。台帐只增不改，记入后不能删除；如有错误，请再记一条更正。`,
            '记入更正',
            { cancelText: '暂不更正' },
          );
          if (!sure) return;
          if (await correct.run()) {
            toast('已记入更正', 'success');
            setHours('');
            setReason('');
            await ledger.reload();
            onChanged();
          }
        };
        return (
          <Card title={`${name} 的台帐`} extra={<View>累计 {hoursText(v.totalHours)} 小时</View>} className="roster-ledger">
            {v.years.map((y) => (
              <View key={y.year} className="vol-muted">
                {y.year} 年：{hoursText(y.hours)} 小时，{y.services} 次服务{y.corrections ? `，${y.corrections} 次更正` : ''}
              </View>
            ))}
            {v.entries.length === 0 ? <View className="vol-muted">暂无服务记录</View> : null}
            {v.entries.map((e) => (
              <View key={e.id} className="vol-entry">
                <View>
                  <View>{e.kind === 'service' ? (e.title ?? '志愿服务') : `更正：${e.reason ?? ''}`}</View>
                  <View className="vol-muted">
                    {cnDate(e.date)}
                    {e.kind === 'correction' ? '（更正记录）' : ''}
                  </View>
                </View>
                <View>
                  {e.hours > 0 ? '+' : ''}
                  {hoursText(e.hours)} 小时
                </View>
              </View>
            ))}
            <View className="roster-correct">
              <Field label="更正时长（小时）" value={hours} onInput={setHours} placeholder="如 2 或 -0.5" hint="以半小时为单位，减少填负数" error={errors.hours} maxlength={6} />
              <Field label="更正原因" value={reason} onInput={setReason} placeholder="如 补记十月敬老院服务" error={errors.reason} maxlength={200} />
              <Button block loading={correct.busy} loadingText="正在记入…" disabled={!hours.trim() || !reason.trim()} onClick={() => void submit()}>
                记入更正
              </Button>
            </View>
          </Card>
        );
      }}
    </Async>
  );
}
