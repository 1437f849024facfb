/**
 * What is mine, on 首页 (what I have today) and 我的 (everything of mine): bookings, volunteer
 * sign-ups and hours, and the community's votes with where I stand. Each row opens its page.
 */
import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { tappable } from '../../components/a11y';
import { Card } from '../../components/card';
import { instantText } from '../../components/date-time-picker';
import { StatusTag } from '../../components/status-tag';
import { useRequest } from '../../hooks/use-request';
import { PAGES, go } from '../../nav';
import { STATUS } from '../../appointments/shared';
import { hoursText } from '../../volunteers/shared';
import './mine.css';

/** One tappable line of a card: what it is on the left, its state on the right. */
function Row({ main, sub, tag, onOpen }: { main: string; sub?: string; tag?: ReactNode; onOpen: () => void }) {
  return (
    <View className="mine-row" {...tappable(onOpen)} onClick={onOpen}>
      <View className="mine-row__text">
        <View className="mine-row__main">{main}</View>
        {sub ? <View className="muted">{sub}</View> : null}
      </View>
      {tag ?? null}
    </View>
  );
}

/** 我的预约: upcoming bookings (all of them on 我的, the next one on 首页). */
export function MyAppointments({ only }: { only?: 'next' }) {
  const list = useRequest(() => api('myAppointments', { query: { when: 'upcoming', limit: 20 } }), []);
  const items = (list.data?.items ?? []).filter((a) => a.status === 'booked' || a.status === 'checked_in');
  if (only === 'next' && items.length === 0) return null;
  const shown = only === 'next' ? items.slice(0, 1) : items;
  return (
    <Card title={only === 'next' ? '下一个预约' : '我的预约'} extra={<View className="mine-link" {...tappable(() => go(PAGES.appointmentsMine))} onClick={() => go(PAGES.appointmentsMine)}>全部预约</View>}>
      {list.data && shown.length === 0 ? <View className="muted">暂无待办理的预约</View> : null}
      {shown.map((a) => (
        <Row key={a.id} main={a.serviceName ?? '预约办理'} sub={instantText(a.start)} tag={<StatusTag tone={STATUS[a.status].tone}>{STATUS[a.status].text}</StatusTag>} onOpen={() => go(PAGES.appointmentDetail, { id: a.id })} />
      ))}
    </Card>
  );
}

/** 我的报名 and 志愿时长: activities still to come, and the hours credited so far. */
export function MyVolunteering() {
  const signups = useRequest(() => api('mySignups', { query: { limit: 20 } }), []);
  const volunteer = useRequest(() => api('myVolunteer', { query: {} }), []);
  const now = Date.now();
  const coming = (signups.data?.items ?? []).filter((s) => s.status === 'signed_up' && (!s.endsAt || Date.parse(s.endsAt) > now));
  const hours = volunteer.data?.totalHours;
  // Not registered (the volunteer record is not found): the card invites rather than lists.
  if (volunteer.error !== undefined && hours === undefined) {
    const register = () => go(PAGES.volunteerRegister);
    return (
      <Card title="志愿服务" extra={<View className="mine-link" {...tappable(register)} onClick={register}>注册志愿者</View>}>
        <View className="muted">您还不是志愿者。注册并经社区审核后，可以报名社区志愿活动，服务时长经认定后可开具证明。</View>
      </Card>
    );
  }
  return (
    <Card title="我的志愿服务" extra={<View className="mine-link" {...tappable(() => go(PAGES.volunteerHours))} onClick={() => go(PAGES.volunteerHours)}>时长与证明</View>}>
      <View className="mine-hours">{hours === undefined ? '' : `累计服务 ${hoursText(hours)} 小时`}</View>
      {signups.data && coming.length === 0 ? <View className="muted">暂无待参加的活动</View> : null}
      {coming.map((s) => (
        <Row key={s.activityId} main={s.title ?? '志愿活动'} sub={s.startsAt ? `${instantText(s.startsAt)}${s.place ? ` · ${s.place}` : ''}` : undefined} tag={<StatusTag tone="info">已报名</StatusTag>} onOpen={() => go(PAGES.volunteerActivity, { id: s.activityId })} />
      ))}
    </Card>
  );
}

/** One open vote and where I stand in it (voted, can vote, or why not). */
function VoteRow({ id, title, closesAt }: { id: string; title: string; closesAt: string }) {
  const mine = useRequest(() => api('eligibility', { params: { id } }), [id]);
  const tag = !mine.data ? undefined : mine.data.receipt ? <StatusTag tone="ok">已投票</StatusTag> : mine.data.canVote ? <StatusTag tone="pending">待投票</StatusTag> : <StatusTag tone="info">不能投票</StatusTag>;
  return <Row main={title} sub={`${instantText(closesAt)} 截止`} tag={tag} onOpen={() => go(PAGES.consultationDetail, { id })} />;
}

/** 我参与的协商: the community's open votes with my state; on 首页 only when one is open. */
export function MyVotes({ cid, only }: { cid: string; only?: 'open' }) {
  const open = useRequest(() => api('listConsultations', { params: { cid }, query: { state: 'open', limit: 5 } }), [cid]);
  const items = open.data?.items ?? [];
  if (only === 'open' && items.length === 0) return null;
  return (
    <Card title={only === 'open' ? '正在投票' : '我参与的协商'}>
      {open.data && items.length === 0 ? <View className="muted">目前没有进行中的投票</View> : null}
      {items.map((c) => (
        <VoteRow key={c.id} id={c.id} title={c.title} closesAt={c.closesAt} />
      ))}
    </Card>
  );
}
