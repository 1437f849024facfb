/**
 * The ordering rule of the service hall, the one rule used everywhere (calling, positions,
 * explanations). Pure: no I/O, `now` passed in.
 *
 * Among the waiting tickets of the categories a window serves:
 *   1. any ticket waiting longer than `maxWaitMin` goes next (the longest-waiting first);
 *   2. else, after `priorityRatio` consecutive priority calls, a normal ticket goes next when one waits;
 *   3. else priority tickets go first;
 *   4. ties by the time the ticket was first issued (a transferred ticket keeps its time), then number.
 * The streak of consecutive priority calls belongs to the hall: a priority call adds one, a
 * normal call resets it to 0.
 */
export interface QueuedTicket {
  id: string;
  category: string;
  priority: boolean;
  /** ISO instant the ticket was first issued. */
  issuedAt: string;
  /** The day's number within its category, for ties. */
  seq: number;
}

export interface OrderRule {
  priorityRatio: number;
  maxWaitMin: number;
}

/** Why a ticket was picked: `order` means plain first-come order within its kind. */
export type PickWhy = 'overdue' | 'ratio' | 'priority' | 'order';

export interface Pick<T extends QueuedTicket> {
  ticket: T;
  why: PickWhy;
  /** The streak after this call. */
  streak: number;
}

const byIssue = (a: QueuedTicket, b: QueuedTicket): number =>
  a.issuedAt < b.issuedAt ? -1 : a.issuedAt > b.issuedAt ? 1 : a.seq - b.seq || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const waitedMin = (t: QueuedTicket, now: Date): number => (now.getTime() - Date.parse(t.issuedAt)) / 60000;

/** The ticket the rule calls next among `waiting` (already filtered to the window's categories). */
export function pickNext<T extends QueuedTicket>(waiting: readonly T[], streak: number, rule: OrderRule, now: Date): Pick<T> | undefined {
  if (waiting.length === 0) return undefined;
  const sorted = [...waiting].sort(byIssue);
  const after = (t: T) => (t.priority ? streak + 1 : 0);
  const overdue = sorted.find((t) => waitedMin(t, now) > rule.maxWaitMin);
  if (overdue) return { ticket: overdue, why: 'overdue', streak: after(overdue) };
  const firstNormal = sorted.find((t) => !t.priority);
  const firstPriority = sorted.find((t) => t.priority);
  if (firstNormal && streak >= rule.priorityRatio) return { ticket: firstNormal, why: firstNormal === sorted[0] ? 'order' : 'ratio', streak: 0 };
  if (firstPriority) return { ticket: firstPriority, why: firstPriority === sorted[0] ? 'order' : 'priority', streak: streak + 1 };
  return { ticket: sorted[0] as T, why: 'order', streak: 0 };
}

/** The order in which the rule would call every waiting ticket, if nothing changed meanwhile. */
export function callOrder<T extends QueuedTicket>(waiting: readonly T[], streak: number, rule: OrderRule, now: Date): T[] {
  const left = [...waiting];
  const order: T[] = [];
  let s = streak;
  while (left.length > 0) {
    const pick = pickNext(left, s, rule, now) as Pick<T>;
    order.push(pick.ticket);
    left.splice(left.indexOf(pick.ticket), 1);
    s = pick.streak;
  }
  return order;
}

/**
 * A ticket's position within its category: 1 = the ticket the rule calls next there.
 * `waiting` may hold other categories; only the ticket's own category counts.
 */
export function positionOf<T extends QueuedTicket>(ticketId: string, waiting: readonly T[], streak: number, rule: OrderRule, now: Date): number | undefined {
  const own = waiting.find((t) => t.id === ticketId);
  if (!own) return undefined;
  const order = callOrder(
    waiting.filter((t) => t.category === own.category),
    streak,
    rule,
    now,
  );
  return order.findIndex((t) => t.id === ticketId) + 1;
}

/**
 * Whether a call passed over earlier-issued tickets (the ones that then waited in the window's
 * categories), and which categories they were in: those tickets' pages explain the jump.
 */
export function passedOver<T extends QueuedTicket>(called: T, waiting: readonly T[]): string[] {
  const earlier = waiting.filter((t) => t.id !== called.id && byIssue(t, called) < 0);
  return [...new Set(earlier.map((t) => t.category))].sort();
}

/** The plain-Chinese explanation shown to a resident passed over by a call. */
export function reasonText(number: string, why: PickWhy, maxWaitMin: number): string | undefined {
  switch (why) {
    case 'priority':
      return `${number} 号是优先号（绿色通道：已预约签到，或 70 岁以上老人、残疾人、孕妇等），按规则先于普通号办理。`;
    case 'overdue':
      return `${number} 号已等候超过 ${maxWaitMin} 分钟，按规则等候超时的号码先办理。`;
    case 'ratio':
      return `每连续办理几位优先号后，按规则轮到一位普通号：${number} 号因此先办理。`;
    default:
      return undefined;
  }
}
