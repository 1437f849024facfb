import type { ReactNode } from 'react';
import type { EndedMembership } from '@contract/identity';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { Card } from '../../components/card';
import { Button } from '../../components/button';
import { ElderSwitch } from '../../components/elder-switch';
import { FindCommunity } from '../../components/find-community';
import { PageShell } from '../../components/page-shell';
import { ErrorState, Loading } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { Tile, Tiles } from '../../components/tile';
import { useMe } from '../../hooks/use-me';
import { useRequest } from '../../hooks/use-request';
import { PAGES, go } from '../../nav';
import { TodayTickets } from '../../queue/shared';
import { chooseCommunity, useCurrentCommunity } from '../../store/community';
import { MembershipTag, awaitsVerification } from '../../components/membership-tag';
import { MyAppointments, MyVotes } from '../me/mine';
import './index.css';

/** 首页: the person's community (or how to join one), the four capabilities, and 工作台 for staff. */
export default function Home() {
  const me = useMe();
  const { user } = me;
  const { cid, membership, staff } = useCurrentCommunity();

  return (
    <PageShell className="stack">
      <View className="home__head">
        <View className="home__hello">{user?.nickname ? `${user.nickname}，您好` : '您好'}</View>
        <ElderSwitch compact />
      </View>

      {!user && me.loading ? <Loading /> : null}
      {me.signedOut ? (
        <Card title="请先登录">
          <View className="muted">登录后即可加入社区、预约办事、参与议事。</View>
          <View style={{ marginTop: '12px' }}>
            <Button block onClick={() => go(PAGES.login)}>
              去登录
            </Button>
          </View>
        </Card>
      ) : null}
      {!user && me.error !== undefined ? <ErrorState error={me.error} onRetry={() => void me.reload()} /> : null}

      {user && cid ? <CommunityCard cid={cid} household={membership?.household} tag={membership ? <MembershipTag membership={membership} /> : <StatusTag tone="info">管理员</StatusTag>} pending={membership ? awaitsVerification(membership) : false} /> : null}
      {/* A platform admin acts as staff everywhere: they pick a community rather than join one. */}
      {user && !cid && !user.admin ? <JoinCard ended={latestEnded(user.endedMemberships)} /> : null}
      {user?.admin ? <AdminCommunityPicker /> : null}

      {user ? <MyAppointments only="next" /> : null}
      {user ? <TodayTickets /> : null}
      {user && cid ? <MyVotes cid={cid} only="open" /> : null}

      <View className="home__section-title">社区服务</View>
      <Tiles>
        <Tile title="预约办理" text="预约社区服务事项" onClick={() => go(PAGES.services)} />
        <Tile title="取号排队" text="大厅取号，查看叫号" onClick={() => go(PAGES.services)} />
        <Tile title="志愿服务" text="报名活动，记录时长" onClick={() => go(PAGES.volunteers)} />
        <Tile title="议事协商" text="提议题、讨论、投票" onClick={() => go(PAGES.consult)} />
        <Tile title="通知公告" text="社区发布的通知" onClick={() => go(PAGES.noticeList)} />
        <Tile title="我的诉求" text="反映问题，查看办理进度" onClick={() => go(PAGES.requestsMine)} />
      </Tiles>

      {user && staff && cid ? <Workbench cid={cid} /> : null}
    </PageShell>
  );
}

const latestEnded = (ended: EndedMembership[] | undefined): EndedMembership | undefined =>
  [...(ended ?? [])].sort((a, b) => b.at.localeCompare(a.at))[0];

/** Not in a community: how to join one, and, when a request was refused or a membership revoked, why. */
function JoinCard({ ended }: { ended?: EndedMembership }) {
  return (
    <Card title="加入您的社区">
      {ended ? (
        <View className="field__error" role="alert">
          {ended.status === 'refused' ? `您加入${ended.communityName ?? '社区'}的申请未通过` : `您在${ended.communityName ?? '社区'}的成员身份已被撤销`}，原因：{ended.reason}。如有误，可更正门牌后重新申请。
        </View>
      ) : (
        <View className="muted">加入所在社区并由工作人员核实门牌后，即可预约办事、参与议事投票。</View>
      )}
      <View style={{ marginTop: '12px' }}>
        <Button block onClick={() => (ended ? go(PAGES.join, { cid: ended.communityId }) : go(PAGES.join))}>
          {ended ? '重新申请' : '加入社区'}
        </Button>
      </View>
    </Card>
  );
}

function CommunityCard({ cid, household, tag, pending }: { cid: string; household?: string; tag: ReactNode; pending: boolean }) {
  const community = useRequest(() => api('getCommunity', { params: { cid } }), [cid]);
  return (
    <Card title="我的社区" extra={tag}>
      {community.data ? (
        <>
          <View className="home__community-name">{community.data.name}</View>
          <View className="muted">
            {community.data.district} · {community.data.street}
          </View>
        </>
      ) : community.error !== undefined ? (
        <ErrorState error={community.error} onRetry={() => void community.reload()} title="社区信息加载失败" />
      ) : (
        <Loading />
      )}
      {household ? <View style={{ marginTop: '6px' }}>门牌：{household}</View> : null}
      {pending ? <View className="muted" style={{ marginTop: '6px' }}>工作人员核实门牌后，即可预约办事和参与投票。</View> : null}
    </Card>
  );
}

/** Staff reach every tool through 工作台; the badge says whether residents are waiting for 核实. */
function Workbench({ cid }: { cid: string }) {
  const pending = useRequest(() => api('listMembers', { params: { cid }, query: { verified: 'false', limit: 100 } }), [cid]);
  const count = pending.data?.items.length;
  return (
    <>
      <View className="home__section-title">工作人员</View>
      <Tiles>
        <Tile
          title="工作台"
          text="成员核实、窗口叫号、预约名单、志愿、议事与数据"
          badge={count === undefined ? null : count > 0 ? <StatusTag tone="pending">{`待核实 ${count}${pending.data?.next ? '+' : ''} 人`}</StatusTag> : <StatusTag tone="ok">暂无待核实</StatusTag>}
          onClick={() => go(PAGES.staffWorkbench, { cid })}
        />
      </Tiles>
    </>
  );
}

/** Platform admins act as staff everywhere: they find the community to look after by its name or street. */
function AdminCommunityPicker() {
  return (
    <>
      <Card title="平台管理">
        <Button block onClick={() => go(PAGES.adminCommunities)}>社区管理</Button>
      </Card>
      <FindCommunity title="切换到社区" hint="选中后首页和工作台即为该社区" onChoose={(c) => chooseCommunity(c.id)} />
    </>
  );
}
