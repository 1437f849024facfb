/**
 * 诉求反映's words for people: levels, states, categories with their default clocks, and timeline
 * events. No schema library here: the pages import these without pulling zod into their bundle;
 * requests.ts builds its enums from the same lists and re-exports everything.
 */

/** Where a request is being worked: the community, its street (街道) or its district (区). */
export const REQUEST_LEVELS = ['community', 'street', 'district'] as const;
export type RequestLevel = (typeof REQUEST_LEVELS)[number];
export const REQUEST_LEVEL_LABELS: Record<RequestLevel, string> = { community: '社区', street: '街道', district: '区' };

export const REQUEST_STATUSES = ['submitted', 'accepted', 'escalated', 'resolved', 'reopened', 'closed'] as const;
export type RequestStatus = (typeof REQUEST_STATUSES)[number];
export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  submitted: '待受理',
  accepted: '办理中',
  escalated: '已上报',
  resolved: '已办结',
  reopened: '已重新办理',
  closed: '已评价',
};
/** A state as people read it: an escalated request names the level it went to (已上报街道). */
export const requestStatusLabel = (status: RequestStatus, level: RequestLevel): string =>
  status === 'escalated' ? `${REQUEST_STATUS_LABELS.escalated}${REQUEST_LEVEL_LABELS[level]}` : REQUEST_STATUS_LABELS[status];

export const REQUEST_CATEGORY_KEYS = ['sanitation', 'repair', 'dispute', 'facilities', 'safety', 'care', 'other'] as const;
export type RequestCategory = (typeof REQUEST_CATEGORY_KEYS)[number];
/**
 * Each category's default clock: respond (accept) within `respondHours` hours, resolve within
 * `resolveDays` working days (the State Council's holidays and 调休 days counted as the calendar says).
 */
export const REQUEST_CATEGORIES: Record<RequestCategory, { label: string; respondHours: number; resolveDays: number }> = {
  sanitation: { label: '环境卫生', respondHours: 4, resolveDays: 3 },
  repair: { label: '物业维修', respondHours: 24, resolveDays: 5 },
  dispute: { label: '邻里纠纷', respondHours: 24, resolveDays: 7 },
  facilities: { label: '公共设施', respondHours: 24, resolveDays: 10 },
  safety: { label: '治安消防', respondHours: 2, resolveDays: 3 },
  care: { label: '养老助残', respondHours: 12, resolveDays: 5 },
  other: { label: '其他', respondHours: 24, resolveDays: 10 },
};

/** What happened on a request's timeline, as the resident and staff read it. */
export const REQUEST_EVENT_KINDS = ['filed', 'accepted', 'note', 'escalated', 'auto-escalated', 'resolved', 'rated', 'reopened', 'closed'] as const;
export type RequestEventKind = (typeof REQUEST_EVENT_KINDS)[number];
export const REQUEST_EVENT_LABELS: Record<RequestEventKind, string> = {
  filed: '提交诉求',
  accepted: '已受理',
  note: '办理进展',
  escalated: '上报上级',
  'auto-escalated': '超期自动上报',
  resolved: '已办结',
  rated: '评价',
  reopened: '重新办理',
  closed: '已评价',
};
