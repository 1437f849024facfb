import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import './index.css';

/**
 * What a colour means, the same on every page:
 *  ok      green  done, confirmed, in the person's favour (已办结, 已核实, 已投票)
 *  info    blue   under way, something still to happen (待办理, 已报名, 等候中, 投票中)
 *  pending amber  waiting for someone to act (待核实, 待审核, 待投票)
 *  danger  red    missed, refused or withdrawn (爽约, 已过号, 未通过, 已撤销)
 *  off     grey   ended with no outcome (已取消, 已截止)
 */
export type Tone = 'ok' | 'info' | 'pending' | 'danger' | 'off';

/** Status words and their tone; a tag whose text starts with one takes its tone (the longest match). */
export const STATUS_TONE: Record<string, Tone> = {
  已办结: 'ok', 已签到: 'ok', 已签退: 'ok', 已认定: 'ok', 时长已认定: 'ok', 已核实: 'ok', 已核验: 'ok', 已计入: 'ok', 已投票: 'ok', 已通过: 'ok', 已评价: 'ok',
  已认领: 'ok', 已感谢: 'ok', 符合我的技能: 'ok',
  注册志愿者: 'ok', 正在呼叫: 'ok', 达到法定参与率: 'ok', 暂无待核实: 'ok',
  待办理: 'info', 已报名: 'info', 等候中: 'info', 投票中: 'info', 征集中: 'info', 即将开放: 'info', 未开始: 'info', 已公开: 'info',
  已答复: 'info', 已转为协商: 'info', 工作人员: 'info', 管理员: 'info', 平台管理员: 'info', 余: 'info', 未设参与率要求: 'info', 办理中: 'info',
  待认领: 'info', 等待志愿者认领: 'info',
  待核实: 'pending', 待审核: 'pending', 待投票: 'pending', '已签退，待认定': 'pending', 暂不能投票: 'pending', 名额已满: 'pending', 已满: 'pending',
  未签到: 'pending', 不能投票: 'pending', 待受理: 'pending', 已上报: 'pending', 已重新办理: 'pending',
  无人认领: 'pending',
  爽约: 'danger', 居民未到场: 'danger', 已过号: 'danger', 未通过: 'danger', 已撤销: 'danger', 超期: 'danger', 未达到法定参与率: 'danger',
  已取消: 'off', 已截止: 'off', 已结束: 'off',
};

const WORDS = Object.keys(STATUS_TONE).sort((a, b) => b.length - a.length);

/** The tone of a status text ('✓ 已核验', '已认定 2 小时'), or undefined for a word not in the table. */
export function toneOf(text: string): Tone | undefined {
  const bare = text.replace(/^[✓✕]\s*/, '');
  const word = WORDS.find((w) => bare.startsWith(w));
  return word ? STATUS_TONE[word] : undefined;
}

/**
 * A status word in a pill. The word carries the meaning; the colour only repeats it, from
 * STATUS_TONE whenever the word is there (so one word has one colour everywhere); `tone` is for
 * texts outside the table.
 */
export function StatusTag({ tone, children }: { tone?: Tone; children: ReactNode }) {
  const text = typeof children === 'string' ? children : Array.isArray(children) ? children.join('') : '';
  return <View className={`tag tag--${toneOf(text) ?? tone ?? 'info'}`}>{children}</View>;
}
