import type { Stats } from '@contract/stats';
import { dateText, monthText } from '../../components/date-time-picker/format';
import { formatNumber } from '../../utils/format';

/**
 * The committee's indicators as the policies name them (003's table, REQUIREMENTS' list), each
 * with its unit, its period and its target where a policy gives one, grouped by capability.
 * Only the volunteer ratio has a numeric target (≥ 15% of residents, 003).
 */
export interface Indicator {
  name: string;
  value: string;
  unit?: string;
  /** 今日 / 本月 (2026年12月) / 近 14 天 / 截至目前… */
  period: string;
  /** The policy's target in words (目标 ≥ 15%), and whether it is met. */
  target?: { text: string; met: boolean };
  /** What the figure counts, or why there is none yet. */
  note?: string;
}

export interface DetailList {
  title: string;
  rows: { label: string; value: string }[];
  empty: string;
}

export interface IndicatorGroup {
  title: string;
  items: Indicator[];
  details: DetailList[];
}

const NONE = '暂无';
/** Percentages below 1% keep two decimals (2 of 9,800 residents is 0.02%, not 0%). */
const percent = (value: number): string => (value > 0 && value < 1 ? value.toFixed(2) : formatNumber(value));
const count = (n: number): string => formatNumber(n);
const meanOrNone = (n: number | null): string => (n === null ? NONE : formatNumber(n));

function satisfaction(s: { mean: number | null; count: number }, period: string): Indicator {
  return {
    name: '满意度测评平均分',
    value: meanOrNone(s.mean),
    unit: s.mean === null ? undefined : '分（满分 5 分）',
    period,
    note: s.count ? `${count(s.count)} 人次评价` : '尚无评价',
  };
}

function members(m: Stats['members']): IndicatorGroup {
  return {
    title: '社区成员',
    items: [
      { name: '成员总数', value: count(m.total), unit: '人', period: '截至目前', note: '已核实与待核实' },
      { name: '已核实成员', value: count(m.verified), unit: '人', period: '截至目前' },
      { name: '待核实成员', value: count(m.pending), unit: '人', period: '截至目前' },
      { name: '已核实户数', value: count(m.households), unit: '户', period: '截至目前', note: '一户一票时的投票户数' },
    ],
    details: [],
  };
}

function appointments(a: Stats['appointments'], today: string): IndicatorGroup {
  const day = a.perDay.find((d) => d.date === today);
  const days = a.perDay.filter((d) => d.date <= today).length;
  const window = `近 ${days} 天（${dateText(a.from, { weekday: false })}起）`;
  return {
    title: '预约办理',
    items: [
      { name: '今日预约', value: count(day?.booked ?? 0), unit: '人次', period: '今日', note: day?.cancelled ? `另有 ${count(day.cancelled)} 人次已取消` : undefined },
      { name: '今日到场', value: count(day?.arrived ?? 0), unit: '人次', period: '今日', note: `已办结 ${count(day?.completed ?? 0)} 人次` },
      {
        name: '爽约率',
        value: a.noShowRate === null ? NONE : percent(a.noShowRate * 100),
        unit: a.noShowRate === null ? undefined : '%',
        period: window,
        note: a.noShowRate === null ? '尚无已到期的预约' : '未到场 ÷ 已到期的预约',
      },
      satisfaction(a.satisfaction, window),
    ],
    details: [
      {
        title: '未来 7 天预约',
        rows: a.perDay.filter((d) => d.date > today && d.booked > 0).map((d) => ({ label: dateText(d.date), value: `${count(d.booked)} 人次` })),
        empty: '未来 7 天暂无预约',
      },
    ],
  };
}

function queue(q: NonNullable<Stats['queue']>): IndicatorGroup {
  const waiting = Object.values(q.waiting).reduce((s, n) => s + n, 0);
  const nameOf = (code: string) => {
    const name = q.categories.find((c) => c.code === code)?.name;
    return name ? `${name}（${code} 号）` : `${code} 号`;
  };
  return {
    title: '取号叫号',
    items: [
      { name: '正在等候', value: count(waiting), unit: '人', period: '此刻' },
      { name: '已叫号', value: count(q.called), unit: '人次', period: '今日', note: `已办结 ${count(q.completed)} 人次` },
      {
        name: '平均等候时长',
        value: meanOrNone(q.meanWaitMin),
        unit: q.meanWaitMin === null ? undefined : '分钟',
        period: '今日',
        note: q.meanWaitMin === null ? '今日尚未叫号' : '从取号到叫号',
      },
      {
        name: '平均办理时长',
        value: meanOrNone(q.meanServiceMin),
        unit: q.meanServiceMin === null ? undefined : '分钟',
        period: '今日',
        note: q.meanServiceMin === null ? '今日尚无办结' : '从叫号到办结',
      },
      satisfaction(q.satisfaction, '今日'),
    ],
    details: [
      {
        title: '各类业务（今日）',
        rows: q.categories.map((c) => ({
          label: nameOf(c.code),
          value: `等候 ${count(q.waiting[c.code] ?? 0)} 人 · 预计每人 ${formatNumber(q.learnedServiceMin[c.code] ?? 0)} 分钟`,
        })),
        empty: '大厅尚未设置业务类别',
      },
      {
        title: '各窗口叫号（今日）',
        rows: Object.entries(q.callsPerWindow)
          .sort(([a], [b]) => Number(a) - Number(b))
          .map(([no, calls]) => ({ label: `${no} 号窗口`, value: `${count(calls)} 人次` })),
        empty: '大厅尚未设置窗口',
      },
    ],
  };
}

function volunteers(v: Stats['volunteers']): IndicatorGroup {
  return {
    title: '志愿服务',
    items: [
      {
        name: '注册志愿者占居民比例',
        value: percent(v.ratioPercent),
        unit: '%',
        period: '截至目前',
        target: { text: `目标 ≥ ${formatNumber(v.targetPercent)}%`, met: v.meetsTarget },
        note: `注册志愿者 ${count(v.approved)} 人 ÷ 居民 ${count(v.residents)} 人`,
      },
      { name: '注册志愿者', value: count(v.approved), unit: '人', period: '截至目前', note: v.pending ? `另有 ${count(v.pending)} 人待审核` : '无待审核的申请' },
      { name: '志愿服务时长', value: formatNumber(v.hoursThisMonth), unit: '小时', period: `本月（${monthText(v.month)}）`, note: '已核定的时长' },
      { name: '开展志愿活动', value: count(v.activitiesHeldThisMonth), unit: '场', period: `本月（${monthText(v.month)}）` },
    ],
    details: [],
  };
}

/** 志愿陪同 for the month, by the escort's day: how many residents asked, how many a volunteer took. */
function escorts(e: Stats['escorts']): IndicatorGroup {
  const period = `本月（${monthText(e.month)}）`;
  return {
    title: '志愿陪同',
    items: [
      { name: '陪同申请', value: count(e.asked), unit: '次', period, note: '按陪同日期统计，已取消的不计' },
      {
        name: '志愿者认领',
        value: count(e.taken),
        unit: '次',
        period,
        note: e.asked ? `认领率 ${percent((e.taken / e.asked) * 100)}%` : '本月尚无陪同申请',
      },
      { name: '无人认领', value: count(e.unclaimed), unit: '次', period, note: '前一天 18:00 仍无人认领，已提醒工作人员' },
      {
        name: '居民致谢平均分',
        value: meanOrNone(e.meanThanksScore),
        unit: e.meanThanksScore === null ? undefined : '分（满分 5 分）',
        period,
        note: e.thanked ? `${count(e.thanked)} 次致谢` : '尚无致谢',
      },
    ],
    details: [],
  };
}

function consultations(c: Stats['consultations']): IndicatorGroup {
  return {
    title: '议事协商',
    items: [
      {
        name: '平均投票率',
        value: meanOrNone(c.averageTurnoutPercent),
        unit: c.averageTurnoutPercent === null ? undefined : '%',
        period: c.recent.length ? `最近 ${c.recent.length} 次已结束的协商` : '已结束的协商',
        note: c.averageTurnoutPercent === null ? '尚无已结束的协商' : '投票人（户）数 ÷ 有投票资格的人（户）数',
      },
      { name: '进行中的协商', value: count(c.openConsultations), unit: '项', period: '此刻' },
      { name: '征集中的议题', value: count(c.openTopics), unit: '项', period: '此刻' },
    ],
    details: [
      {
        title: '最近结束的协商',
        rows: c.recent.map((r) => ({
          label: r.title,
          value: `投票率 ${formatNumber(r.turnoutPercent)}%（${count(r.ballots)} / ${count(r.eligible)}）· ${r.quorumMet ? '结果有效' : '未达到法定参与率，结果无效'}`,
        })),
        empty: '尚无已结束的协商',
      },
      {
        title: '附议最多的议题',
        rows: c.topTopics.map((t) => ({ label: t.title, value: `${count(t.support)} 人附议` })),
        empty: '暂无征集中的议题',
      },
    ],
  };
}

/** A rate of 0–1 as a percentage indicator, or 暂无 with why. */
const rateOf = (name: string, rate: number | null, period: string, note: string, none: string): Indicator => ({
  name,
  value: rate === null ? NONE : percent(rate * 100),
  unit: rate === null ? undefined : '%',
  period,
  note: rate === null ? none : note,
});

/** 诉求反映 (接诉即办's three rates) and the grid's 走访入户, for the month. */
function requests(r: Stats['requests']): IndicatorGroup {
  const period = `本月（${monthText(r.month)}）`;
  const t = r.total;
  return {
    title: '诉求反映',
    items: [
      { name: '受理诉求', value: count(t.filed), unit: '件', period, note: `未办结 ${count(t.open)} 件，超期 ${count(t.overdue)} 件，上报 ${count(t.escalated)} 件` },
      rateOf('响应率', t.responseRate, period, '按时限受理的 ÷ 受理诉求', '本月尚无诉求'),
      rateOf('解决率', t.resolutionRate, period, '按时限办结的 ÷ 受理诉求', '本月尚无诉求'),
      rateOf('满意率', t.satisfactionRate, period, `评 4–5 分的 ÷ 已评价的 ${count(t.rated)} 件`, '本月尚无评价'),
    ],
    details: [
      {
        title: '各网格（走访入户率 = 本月走访户数 ÷ 网格户数）',
        rows: r.grids.map((g) => ({
          label: g.name,
          value: `诉求 ${count(g.filed)} 件 · 响应率 ${g.responseRate === null ? NONE : `${percent(g.responseRate * 100)}%`} · 解决率 ${g.resolutionRate === null ? NONE : `${percent(g.resolutionRate * 100)}%`} · 走访入户率 ${g.visitRate === null ? NONE : `${percent(g.visitRate * 100)}%`}（${count(g.visitedHouseholds)} / ${count(g.households)} 户）`,
        })),
        empty: '尚未划分网格',
      },
    ],
  };
}

/** Every group the stats carry, in the order the committee reports them. */
export function indicatorGroups(s: Stats): IndicatorGroup[] {
  return [
    appointments(s.appointments, s.date),
    ...(s.queue ? [queue(s.queue)] : []),
    volunteers(s.volunteers),
    escorts(s.escorts),
    consultations(s.consultations),
    requests(s.requests),
    members(s.members),
  ];
}
