import { View } from '@tarojs/components';
import { logout } from '../../api/client';
import { tappable } from '../../components/a11y';
import { Button } from '../../components/button';
import { Card } from '../../components/card';
import { ElderSwitch } from '../../components/elder-switch';
import { MembershipTag, awaitsVerification } from '../../components/membership-tag';
import { PageShell } from '../../components/page-shell';
import { Empty, ErrorState, Loading } from '../../components/state';
import { StatusTag } from '../../components/status-tag';
import { Tile, Tiles } from '../../components/tile';
import { useMe } from '../../hooks/use-me';
import { PAGES, go } from '../../nav';
import { confirm, toast, usesDevLogin } from '../../platform';
import { TodayTickets } from '../../queue/shared';
import { chooseCommunity, useCurrentCommunity } from '../../store/community';
import { MyAppointments, MyVolunteering, MyVotes } from './mine';
import './index.css';

/** 我的: everything of mine (bookings, today's numbers, volunteering, votes), my communities, the elder-mode switch, logout. */
export default function Me() {
  const me = useMe();
  const { user } = me;
  const { cid } = useCurrentCommunity();

  const onLogout = async () => {
    if (!(await confirm('退出登录', '退出后需重新登录才能查看预约、号码和投票。', '退出登录', { cancelText: '不退出', destructive: true }))) return;
    logout();
    toast('已退出登录', 'success');
    void me.reload();
  };

  return (
    <PageShell className="stack">
      {!user && me.loading ? <Loading /> : null}
      {!user && me.error !== undefined ? <ErrorState error={me.error} onRetry={() => void me.reload()} /> : null}
      {me.signedOut ? (
        <Empty title="您还没有登录" text="登录后可以查看社区身份和办事记录。" action={{ text: '去登录', onClick: () => go(PAGES.login) }} />
      ) : null}

      {user ? (
        <>
          <Card extra={user.admin ? <StatusTag tone="info">平台管理员</StatusTag> : undefined}>
            <View className="me__name">{user.nickname || '微信用户'}</View>
          </Card>

          <MyAppointments />
          <TodayTickets />
          <MyVolunteering />
          {cid ? <MyVotes cid={cid} /> : null}

          <Card title="更多服务">
            <Tiles>
              <Tile title="我的诉求" text="提交的诉求与办理进度" onClick={() => go(PAGES.requestsMine)} />
              <Tile title="亲情代办" text="为家中长辈代办、查看进度" onClick={() => go(PAGES.family)} />
              <Tile title="通知公告" text="社区发布的通知" onClick={() => go(PAGES.noticeList)} />
            </Tiles>
          </Card>

          <Card title="我的社区">
            {user.memberships.length === 0 ? (
              <Empty title="还没有加入社区" text="加入社区并核实门牌后，可以预约办事、参与投票。" />
            ) : (
              user.memberships.map((m) => (
                <View key={m.communityId} className="me__membership" {...tappable(() => chooseCommunity(m.communityId))} onClick={() => chooseCommunity(m.communityId)}>
                  <View className="row row--between">
                    <View className="me__community">{m.communityName ?? m.communityId}</View>
                    <MembershipTag membership={m} />
                  </View>
                  {m.household ? <View>门牌：{m.household}</View> : null}
                  {awaitsVerification(m) ? <View className="muted">等待社区工作人员核实门牌</View> : null}
                </View>
              ))
            )}
            <View style={{ marginTop: '12px' }}>
              <Button variant="secondary" block onClick={() => go(PAGES.join)}>
                {user.memberships.length === 0 ? '加入社区' : '加入其他社区'}
              </Button>
            </View>
          </Card>

          <Card title="设置">
            <ElderSwitch />
            <View className="muted" style={{ marginTop: '6px' }}>
              开启后字更大、对比更强、按钮更大。
            </View>
          </Card>

          <Button variant="danger" block onClick={() => void onLogout()}>
            退出登录
          </Button>
          {!usesDevLogin ? <View className="muted">退出后，下次打开时将使用微信重新登录。</View> : null}
        </>
      ) : null}
    </PageShell>
  );
}
