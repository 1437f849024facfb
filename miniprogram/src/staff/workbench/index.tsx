import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import { api } from '../../api/client';
import { PageShell } from '../../components/page-shell';
import { StatusTag } from '../../components/status-tag';
import { Tile } from '../../components/tile';
import { StaffOnly } from '../../components/staff-only';
import { useRequest } from '../../hooks/use-request';
import { PAGES, go, type Page } from '../../nav';
import { useCurrentCommunity } from '../../store/community';
import './index.css';

interface Tool {
  title: string;
  text: string;
  url: Page;
}

/**
 * Every staff tool, grouped by what the worker is doing. Only pages the app holds (app.config.ts):
 * a capability still being built gets its tile when its page lands.
 */
const GROUPS: { title: string; tools: Tool[] }[] = [
  {
    title: '居民与人员',
    tools: [
      { title: '成员核实', text: '核实居民的门牌', url: PAGES.staffMembers },
      { title: '工作人员', text: '主任与工作人员名单、任免', url: PAGES.staffStaff },
      { title: '操作记录', text: '谁在何时做了什么', url: PAGES.staffAudit },
      { title: '加入海报', text: '打印本社区的加入二维码', url: PAGES.joinPoster },
    ],
  },
  {
    title: '办事大厅',
    tools: [
      { title: '窗口叫号', text: '开窗、叫号、办结、设为优先', url: PAGES.queueWindow },
      { title: '预约名单', text: '按日查看预约，签到、办结', url: PAGES.appointmentsStaff },
      { title: '窗口代办登记', text: '为没有手机的老人登记代办家人', url: PAGES.familyCounter },
      { title: '新建服务事项', text: '开放预约的事项、时段与材料', url: PAGES.serviceEditor },
      { title: '大厅布局', text: '业务类别、窗口与叫号规则', url: PAGES.staffHall },
      { title: '取号海报', text: '打印大厅的扫码取号海报', url: PAGES.hallPoster },
      { title: '大厅显示屏', text: '在电视上打开叫号屏', url: PAGES.queueBoard },
    ],
  },
  {
    title: '志愿服务',
    tools: [
      { title: '志愿者审核', text: '通过或不通过注册申请', url: PAGES.volunteerApprovals },
      { title: '陪同需求', text: '居民申请的志愿陪同、认领与无人认领', url: PAGES.escortsStaff },
      { title: '发布活动', text: '时间、地点、名额与时长', url: PAGES.activityEditor },
      { title: '志愿者名册', text: '按姓名或门牌查找志愿者', url: PAGES.volunteerRoster },
      { title: '服务台帐', text: '按月导出志愿服务记录', url: PAGES.volunteerLedger },
    ],
  },
  {
    title: '诉求、公告、议事与数据',
    tools: [
      { title: '诉求办理', text: '居民诉求的受理、派单与答复', url: PAGES.requestQueue },
      { title: '发布公告', text: '通知公告的撰写与发布', url: PAGES.noticeEditor },
      { title: '发起协商', text: '议题、选项、投票时间', url: PAGES.consultationEditor },
      { title: '社区指标', text: '预约、排队、志愿、陪同、议事与诉求数据', url: PAGES.staffStats },
    ],
  },
];

/** 工作台: one page gathering every staff tool, a grid at a desk, a column on a phone. */
export default function Workbench() {
  const { cid, staff } = useCurrentCommunity();
  const pending = useRequest(() => api('listMembers', { params: { cid: cid ?? '' }, query: { verified: 'false', limit: 100 } }), [cid], Boolean(cid && staff));
  const escorts = useRequest(() => api('listEscorts', { params: { cid: cid ?? '' }, query: { limit: 100 } }), [cid], Boolean(cid && staff));
  if (!cid || !staff) return <StaffOnly purpose="此页面汇集社区工作人员的各项工具。" />;
  const count = pending.data?.items.length;
  const unclaimed = escorts.data?.items.filter((e) => e.unclaimed).length;
  const badges: Partial<Record<Page, ReactNode>> = {
    [PAGES.escortsStaff]: unclaimed ? <StatusTag>{`无人认领 ${unclaimed} 项`}</StatusTag> : null,
    [PAGES.staffMembers]: count === undefined ? null : count > 0 ? <StatusTag tone="pending">{`待核实 ${count}${pending.data?.next ? '+' : ''} 人`}</StatusTag> : <StatusTag tone="ok">暂无待核实</StatusTag>,
  };
  return (
    <PageShell className="stack">
      {GROUPS.map((group) => (
        <View key={group.title} className="wb-group">
          <View className="wb-group__title">{group.title}</View>
          <View className="wb-grid">
            {group.tools.map((tool) => (
              <Tile key={tool.url} title={tool.title} text={tool.text} badge={badges[tool.url]} onClick={() => go(tool.url, { cid })} />
            ))}
          </View>
        </View>
      ))}
    </PageShell>
  );
}
