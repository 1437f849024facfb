import { formatNumber } from '../../utils/format';

/**
 * Turns a stats section that this build does not know in detail into labelled figures:
 * numbers and booleans become figures, nested objects are flattened ("排队 · 等候"), lists
 * and text are shown as they are. Known keys get Chinese labels; others show their key.
 */
const SECTION_TITLES: Record<string, string> = {
  members: '社区成员',
  appointments: '预约办理',
  queue: '排队叫号',
  volunteers: '志愿服务',
  consultations: '议事协商',
  satisfaction: '满意度',
};

const LABELS: Record<string, string> = {
  total: '总数',
  verified: '已核实',
  pending: '待核实',
  households: '户数',
  residents: '居民数',
  approved: '已通过',
  declined: '未通过',
  registered: '已注册',
  ratio: '占比',
  ratioPercent: '占比',
  target: '目标',
  targetPercent: '目标',
  volunteerRatio: '志愿者占比',
  volunteerRatioPercent: '志愿者占比',
  totalHours: '累计时长',
  hours: '时长',
  activities: '活动数',
  waiting: '等候人数',
  served: '已办结',
  called: '已叫号',
  skipped: '过号',
  meanWaitMin: '平均等候',
  meanServiceMin: '平均办理',
  avgWaitMin: '平均等候',
  avgServiceMin: '平均办理',
  booked: '已预约',
  completed: '已完成',
  cancelled: '已取消',
  noShow: '爽约',
  noShows: '爽约',
  noShowRate: '爽约率',
  noShowPercent: '爽约率',
  satisfaction: '满意度',
  averageScore: '平均评分',
  meanScore: '平均评分',
  ratings: '评价数',
  open: '进行中',
  closed: '已结束',
  published: '已公开',
  turnout: '参与率',
  turnoutPercent: '参与率',
  ballots: '投票数',
  today: '今日',
  from: '起始日期',
  to: '截止日期',
  perDay: '按日明细',
  count: '数量',
  recent: '近期',
  openConsultations: '进行中的协商',
  openTopics: '征集中的议题',
  topTopics: '热门议题',
};

export const sectionTitle = (key: string): string => SECTION_TITLES[key] ?? key;

export interface FigureItem {
  label: string;
  value: string;
  unit?: string;
  /** Words or a date rather than a number: shown smaller. */
  text?: boolean;
}

function unitOf(key: string): string | undefined {
  if (/percent$/i.test(key)) return '%';
  if (/min$/i.test(key)) return '分钟';
  if (/hours$/i.test(key)) return '小时';
  return undefined;
}

const labelOf = (key: string): string => LABELS[key] ?? key;

export function figuresOf(section: unknown, prefix = '', depth = 0): FigureItem[] {
  if (section === null || section === undefined || typeof section !== 'object' || depth > 2) return [];
  const out: FigureItem[] = [];
  for (const [key, value] of Object.entries(section as Record<string, unknown>)) {
    const label = prefix ? `${prefix} · ${labelOf(key)}` : labelOf(key);
    if (typeof value === 'number') {
      // A ratio between 0 and 1 named as such reads better as a percentage.
      if (/(ratio|rate)$/i.test(key) && value >= 0 && value <= 1) out.push({ label, value: formatNumber(value * 100), unit: '%' });
      else out.push({ label, value: formatNumber(value), unit: unitOf(key) });
    } else if (typeof value === 'boolean') {
      out.push({ label, value: value ? '是' : '否' });
    } else if (typeof value === 'string') {
      out.push({ label, value, text: true });
    } else if (Array.isArray(value)) {
      out.push({ label, value: String(value.length), unit: '项' });
    } else if (value && typeof value === 'object') {
      out.push(...figuresOf(value, label, depth + 1));
    }
  }
  return out;
}
