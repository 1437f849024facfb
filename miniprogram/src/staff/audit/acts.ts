import type { AuditAct, AuditEntry } from '@contract/identity';
import { REQUEST_LEVEL_LABELS } from '@contract/request-labels';
import { STAFF_ROLE_LABEL } from '../members/labels';

/** Every audited act in the words the committee uses: the one place they are named. */
export const AUDIT_ACT_LABEL: Record<AuditAct, string> = {
  'community.create': '创建社区',
  'community.change': '修改社区信息',
  'member.verify': '核实成员',
  'member.refuse': '拒绝加入申请',
  'member.revoke': '撤销成员身份',
  'member.move': '迁移门牌',
  'staff.appoint': '任命工作人员',
  'staff.remove': '免去工作人员',
  'volunteer.approve': '通过志愿者申请',
  'volunteer.decline': '拒绝志愿者申请',
  'hours.verify': '确认志愿时长',
  'hours.correct': '更正志愿时长',
  'certificate.revoke': '作废志愿证明',
  'comment.hide': '隐藏评论',
  'topic.close': '关闭议题',
  'decision.publish': '公布协商结果',
  'hall.change': '修改大厅布局',
  'board.pair': '绑定叫号屏',
  'service.change': '修改服务事项',
  'notice.post': '发布公告',
  'notice.edit': '修改公告',
  'notice.withdraw': '撤回公告',
  'family.link': '建立亲情代办',
  'family.end': '结束亲情代办',
  'proxy.act': '家人代办',
  'region.create': '设立街道或区',
  'region.staff': '任命街道（区）工作人员',
  'region.unstaff': '免去街道（区）工作人员',
  'region.attach': '社区归属街道',
  'grid.create': '划分网格',
  'request.clocks': '设置诉求办理时限',
  'request.accept': '受理诉求',
  'request.escalate': '上报诉求',
  'request.resolve': '办结诉求',
  'request.visit': '走访入户',
};

/** Detail fields a person reads, in Chinese; others (ids, flags) are left out. */
const DETAIL_LABEL: Record<string, string> = {
  household: '门牌',
  reason: '原因',
  role: '职务',
  name: '名称',
  district: '区',
  street: '街道',
  residents: '常住人口',
  households: '户数',
  hours: '时长（小时）',
  previousHousehold: '原门牌',
  title: '标题',
  grid: '网格',
  buildings: '楼栋',
  number: '诉求编号',
  level: '级别',
  via: '方式',
};

/** Detail values that are words of the code: each said in Chinese. */
const DETAIL_VALUE: Record<string, Record<string, string>> = {
  role: STAFF_ROLE_LABEL,
  level: REQUEST_LEVEL_LABELS,
  via: { code: '老人出示代办码', counter: '社区窗口登记' },
};

/** One line about the act's detail: 门牌 3-2-501；原因 已搬离 (roles in Chinese). */
export function describeDetail(entry: AuditEntry): string {
  return Object.entries(entry.detail ?? {})
    .filter(([key]) => key in DETAIL_LABEL)
    .map(([key, value]) => `${entry.act === 'member.move' && key === 'household' ? '新门牌' : DETAIL_LABEL[key]} ${DETAIL_VALUE[key]?.[String(value)] ?? String(value)}`)
    .join('；');
}
