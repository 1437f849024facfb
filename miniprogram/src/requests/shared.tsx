/** Pieces shared by the 诉求反映 pages (this subpackage only). Labels come from the contract. */
import { View } from '@tarojs/components';
import {
  REQUEST_CATEGORIES,
  REQUEST_EVENT_LABELS,
  REQUEST_LEVEL_LABELS,
  requestStatusLabel,
  type RequestCategory,
  type RequestLevel,
  type RequestStatus,
} from '@contract/request-labels';
import type { ApiResponse } from '../api/client';
import { tappable } from '../components/a11y';
import { instantText } from '../components/date-time-picker/format';
import { StatusTag } from '../components/status-tag';
import './shared.css';

export type ServiceRequest = ApiResponse<'getRequest'>;
export type TimelineEvent = NonNullable<ServiceRequest['timeline']>[number];

/** The categories in the contract's order (the chips show them so). */
export const CATEGORIES = Object.keys(REQUEST_CATEGORIES) as RequestCategory[];
export const categoryLabel = (category: RequestCategory): string => REQUEST_CATEGORIES[category].label;

/** 限时办结, as the resident is told before filing: the category's clock. */
export const clockText = (category: RequestCategory): string =>
  `将在${REQUEST_CATEGORIES[category].respondHours}小时内响应，${REQUEST_CATEGORIES[category].resolveDays}个工作日内办结`;

/** Open: someone still has to act on it. */
export const isOpen = (status: RequestStatus): boolean => status !== 'resolved' && status !== 'closed';

/** The states in which staff at the request's level may still take it on (首问负责). */
export const AWAITING_OWNER: ReadonlySet<RequestStatus> = new Set(['submitted', 'escalated', 'reopened']);

/** Who works it next after `level` hands it up (community → 街道 → 区); none above the district. */
export const LEVEL_ABOVE: Record<RequestLevel, RequestLevel | undefined> = { community: 'street', street: 'district', district: undefined };
export const levelLabel = (level: RequestLevel): string => REQUEST_LEVEL_LABELS[level];

/** The state in words (已上报街道 names its level) and, when the clock ran out, 超期 beside it. */
export function RequestTags({ status, level, overdue }: { status: RequestStatus; level: RequestLevel; overdue: boolean }) {
  return (
    <View className="req-tags">
      <StatusTag>{requestStatusLabel(status, level)}</StatusTag>
      {overdue && isOpen(status) ? <StatusTag>超期</StatusTag> : null}
    </View>
  );
}

/** The deadline the request is racing now: its response until someone accepts it, then its resolution. */
export const deadlineOf = (r: Pick<ServiceRequest, 'status' | 'respondBy' | 'resolveBy' | 'respondedAt'>): string =>
  r.status === 'submitted' && !r.respondedAt ? r.respondBy : r.resolveBy;

/** '剩 3 小时' / '剩 2 天 5 小时' / '超期 4 小时': the time left on the clock, in words. */
export function timeLeftText(deadline: string, now: number): string {
  const ms = Date.parse(deadline) - now;
  const hours = Math.floor(Math.abs(ms) / 3600_000);
  const span = hours >= 24 ? `${Math.floor(hours / 24)} 天${hours % 24 ? ` ${hours % 24} 小时` : ''}` : hours > 0 ? `${hours} 小时` : '不到 1 小时';
  if (ms >= 0) return `剩 ${span}`;
  return `超期 ${span}`;
}

/** What the clock asks of whoever holds the request: 响应 before acceptance, 办结 after. */
export const deadlineLabel = (r: Pick<ServiceRequest, 'status' | 'respondedAt'>): string =>
  r.status === 'submitted' && !r.respondedAt ? '响应期限' : '办结期限';

/** A rate (0–1) as a percentage; `none` when there is nothing to divide by. */
export const percentText = (rate: number | null, none = '—'): string => (rate === null ? none : `${Math.round(rate * 1000) / 10}%`);

/** Who owns it, for the reader: their own name marked （我）, or 我 when staff gave no name. */
export const ownerText = (r: Pick<ServiceRequest, 'ownerName' | 'ownedByMe'>): string | undefined =>
  r.ownedByMe ? (r.ownerName ? `${r.ownerName}（我）` : '我') : r.ownerName || undefined;

/** A row of label and value. */
export { FactLine as Line } from '../components/fact-line';

/** Category chips: one choice, its state spelled out for screen readers (radio) and by a tick. */
export function CategoryChips({ value, onChange }: { value: RequestCategory | undefined; onChange: (category: RequestCategory) => void }) {
  return (
    <View className="req-chips" role="radiogroup" aria-label="诉求类别">
      {CATEGORIES.map((category) => {
        const on = value === category;
        const pick = () => onChange(category);
        return (
          <View key={category} className={`req-chip ${on ? 'req-chip--on' : ''}`} {...tappable(pick, { role: 'radio', checked: on })} onClick={pick}>
            {on ? '✓ ' : ''}
            {categoryLabel(category)}
          </View>
        );
      })}
    </View>
  );
}

/** One event of the timeline as people read it: what, when, by whom, and what was said. */
function eventText(event: TimelineEvent): string {
  if (event.kind === 'escalated' || event.kind === 'auto-escalated') return `${REQUEST_EVENT_LABELS[event.kind]}：转${levelLabel(event.level)}办理`;
  if (event.kind === 'rated' && event.score !== undefined) return `${REQUEST_EVENT_LABELS.rated}：${event.score} 分`;
  return REQUEST_EVENT_LABELS[event.kind];
}

/** The request's life, oldest first: every acceptance, note, hand-up, resolution and rating. */
export function Timeline({ events }: { events: TimelineEvent[] }) {
  return (
    <View className="req-timeline" role="list" aria-label="办理过程">
      {events.map((event, index) => (
        <View key={`${event.at}-${index}`} className="req-event" role="listitem">
          <View className="req-event__dot" aria-hidden />
          <View className="req-event__body">
            <View className="req-event__head">
              <View className="req-event__what">{eventText(event)}</View>
              <View className="muted">{instantText(event.at)}</View>
            </View>
            {event.by ? <View className="muted">{event.by}</View> : null}
            {event.text ? <View className="req-event__text">{event.text}</View> : null}
          </View>
        </View>
      ))}
    </View>
  );
}
