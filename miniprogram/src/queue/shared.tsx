import { AppError } from '@contract/errors';
import type { ApiResponse } from '../api/client';
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
export const hhmm = (iso: string | undefined): string => (iso ? iso.slice(11, 16) : '');

/** What the board and the voice say for a call. */
export const callText = (number: string, window: number): string => `请 ${number} 号到 ${window} 号窗口办理`;

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
