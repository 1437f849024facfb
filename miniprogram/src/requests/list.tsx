/** The staff's request list (community queue and the street's or district's), shared by both pages. */
import { View } from '@tarojs/components';
import { REQUEST_STATUS_LABELS, type RequestStatus } from '@contract/request-labels';
import { api } from '../api/client';
import { Button } from '../components/button';
import { Card } from '../components/card';
import { instantText } from '../components/date-time-picker/format';
import { Empty } from '../components/state';
import { useSubmit } from '../hooks/use-submit';
import { PAGES, go } from '../nav';
import { confirm, toast } from '../platform';
import { AWAITING_OWNER, RequestTags, categoryLabel, deadlineLabel, deadlineOf, isOpen, levelLabel, ownerText, timeLeftText, type ServiceRequest } from './shared';
import './shared.css';

const STATUSES = Object.keys(REQUEST_STATUS_LABELS) as RequestStatus[];

/** 全部 or one state; the chosen one is ticked, not told by colour alone. */
export function StatusFilter({ value, onChange }: { value: RequestStatus | undefined; onChange: (status: RequestStatus | undefined) => void }) {
  return (
    <View className="req-filters">
      <Button small variant={value === undefined ? 'primary' : 'secondary'} onClick={() => onChange(undefined)}>
        {value === undefined ? '✓ 全部' : '全部'}
      </Button>
      {STATUSES.map((status) => (
        <Button key={status} small variant={value === status ? 'primary' : 'secondary'} onClick={() => onChange(status)}>
          {value === status ? `✓ ${REQUEST_STATUS_LABELS[status]}` : REQUEST_STATUS_LABELS[status]}
        </Button>
      ))}
    </View>
  );
}

/** Open requests first, the least time left (most overdue) at the top; finished ones after, newest first. */
export function byTimeLeft(items: ServiceRequest[]): ServiceRequest[] {
  const open = items.filter((r) => isOpen(r.status)).sort((a, b) => Date.parse(deadlineOf(a)) - Date.parse(deadlineOf(b)));
  const done = items.filter((r) => !isOpen(r.status)).sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt));
  return [...open, ...done];
}

export function RequestList({ items, empty, onChanged }: { items: ServiceRequest[]; empty: string; onChanged: () => void }) {
  if (items.length === 0) return <Empty title={empty} />;
  const now = Date.now();
  return (
    <View className="req-grid">
      {byTimeLeft(items).map((r) => (
        <QueueCard key={r.id} request={r} now={now} onChanged={onChanged} />
      ))}
    </View>
  );
}

function QueueCard({ request: r, now, onChanged }: { request: ServiceRequest; now: number; onChanged: () => void }) {
  const accept = useSubmit((key) => api('acceptRequest', { params: { id: r.id }, idempotencyKey: key }));
  const open = () => go(PAGES.requestDetail, { id: r.id, view: 'staff' });
  const deadline = deadlineOf(r);
  const late = Date.parse(deadline) < now;
  return (
    <Card title={<View className="h2">{categoryLabel(r.category)}</View>} extra={<RequestTags status={r.status} level={r.level} overdue={r.overdue} />}>
      {isOpen(r.status) ? (
        <View className={`req-left ${late ? 'req-left--over' : ''}`}>
          {deadlineLabel(r)}：{timeLeftText(deadline, now)}（{instantText(deadline)}）
        </View>
      ) : null}
      {r.text ? <View className="req-text req-clamp">{r.text}</View> : null}
      <View className="muted">
        {[r.number, r.gridName ?? (r.level === 'community' ? '值班台' : levelLabel(r.level)), r.household, r.place].filter(Boolean).join(' · ')}
      </View>
      {ownerText(r) ? <View className="muted">负责人：{ownerText(r)}</View> : null}
      <View className="req-actions req-below">
        {!r.ownedByMe && AWAITING_OWNER.has(r.status) ? (
          <Button
            small
            loading={accept.busy}
            loadingText="正在受理…"
            onClick={async () => {
              const sure = await confirm('受理这条诉求？', `受理后由您负责办理到底（首问负责），需在 ${instantText(r.resolveBy)} 前办结或上报上级。`, '受理');
              if (!sure || !(await accept.run())) return;
              toast('已受理，由您负责办理', 'success');
              onChanged();
            }}
          >
            受理
          </Button>
        ) : null}
        <Button small variant="secondary" onClick={open}>
          {r.ownedByMe && isOpen(r.status) ? '办理' : '查看'}
        </Button>
      </View>
    </Card>
  );
}
