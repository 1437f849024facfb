import { AppError } from '@contract/errors';
import type { OpeningHours } from '@contract/queue';
import { View } from '@tarojs/components';
import { api, type ApiResponse } from '../api/client';
import { tappable } from '../components/a11y';
import { Card } from '../components/card';
import { useRequest } from '../hooks/use-request';
import { PAGES, go } from '../nav';
import { StatusTag, type Tone } from '../components/status-tag';
import { apiBase } from '../platform';
import './shared.css';

export type Ticket = ApiResponse<'getTicket'>;
export type Board = ApiResponse<'board'>;

export const TICKET_STATUS: Record<Ticket['status'], { text: string; tone: Tone }> = {
  waiting: { text: '等候中', tone: 'info' },
  called: { text: '正在呼叫', tone: 'ok' },
  done: { text: '已办结', tone: 'ok' },
  skipped: { text: '已过号', tone: 'danger' },
  cancelled: { text: '已取消', tone: 'pending' },
};

export const TicketStatusTag = ({ status }: { status: Ticket['status'] }) => (
  <StatusTag tone={TICKET_STATUS[status].tone}>{TICKET_STATUS[status].text}</StatusTag>
);

/** The API's times carry the community's offset: the wall-clock part is what people read. */
const DAY_NAMES = ['', '周一', '周二', '周三', '周四', '周五', '周六', '周日'];

/** [1,2,3,5] → '周一至周三、周五': runs of three or more days read as a range. */
function daysText(days: readonly number[]): string {
  const sorted = [...new Set(days)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] ?? 0) + 1) j++;
    const [from, to] = [sorted[i] ?? 0, sorted[j] ?? 0];
    parts.push(j - i >= 2 ? `${DAY_NAMES[from]}至${DAY_NAMES[to]}` : sorted.slice(i, j + 1).map((d) => DAY_NAMES[d]).join('、'));
    i = j + 1;
  }
  return parts.join('、');
}

/** 办理时间 in words: '周一至周五 08:30–17:30；周六 09:00–12:00'; '' when none is announced. */
export const hoursText = (hours: readonly OpeningHours[]): string => hours.map((h) => `${daysText(h.days)} ${h.open}–${h.close}`).join('；');

export const hhmm = (iso: string | undefined): string => (iso ? iso.slice(11, 16) : '');

/** What the board and the voice say for a call. */
export const callText = (number: string, window: number): string => `请 ${number} 号到 ${window} 号窗口办理`;

/** What a ticket says in a list: where it stands now. */
function ticketLine(t: Ticket): string {
  if (t.status === 'called' && t.window) return `请到 ${t.window} 号窗口办理`;
  if (t.status !== 'waiting') return TICKET_STATUS[t.status].text;
  if (t.ahead === undefined) return '等候中';
  if (t.ahead === 0) return '下一位就是您';
  return t.approximate ? `前面约有 ${t.ahead} 人` : `前面还有 ${t.ahead} 人`;
}

/**
 * 今天的号码: the signed-in person's tickets of today from the server (GET /v1/me/tickets), on 首页
 * and 我的, each opening its ticket page; nothing while there are none.
 */
export function TodayTickets() {
  const today = useRequest(() => api('myTickets'), []);
  const items = today.data?.items ?? [];
  if (items.length === 0) return null;
  return (
    <Card title="今天的号码">
      {items.map((t) => {
        const open = () => go(PAGES.queueTicket, { id: t.id });
        return (
          <View key={t.id} className="q-line q-mine" {...tappable(open)} onClick={open}>
            <View>
              <View className="q-mine__number">{t.number}</View>
              <View className="muted">{t.categoryName ?? t.category}</View>
            </View>
            <View className="q-mine__state">
              <TicketStatusTag status={t.status} />
              <View>{ticketLine(t)}</View>
            </View>
          </View>
        );
      })}
    </Card>
  );
}

/** The ticket a resident already holds, named by an ALREADY_QUEUED refusal: the page opens it instead. */
export const heldTicketId = (failure: unknown): string | undefined =>
  failure instanceof AppError && failure.code === 'ALREADY_QUEUED' ? (failure.details as { ticketId?: string } | undefined)?.ticketId : undefined;

/**
 * The display board's WebSocket URL: `?ws=` on the board URL, else window.__LINLI_WS_BASE__, else
 * next to a local API (port 3000 → 3001, serverless-offline's WebSocket port). Empty: poll only.
 */
export function boardSocketUrl(cid: string, override?: string): string | undefined {
  const base =
    override ||
    (typeof window !== 'undefined' ? (window as unknown as { __LINLI_WS_BASE__?: string }).__LINLI_WS_BASE__ : undefined) ||
    localSocketBase();
  return base ? `${base.replace(/\/+$/, '')}?cid=${encodeURIComponent(cid)}` : undefined;
}

function localSocketBase(): string | undefined {
  const match = /^http:\/\/(127\.0\.0\.1|localhost):3000$/.exec(apiBase());
  return match ? `ws://${match[1]}:3001` : undefined;
}
