/**
 * Service-hall queue keys. Every read a person waits on is bounded: it never grows with the
 * number of people in the hall.
 *
 *   base table item                              what reads it
 *   COMMUNITY#<cid> / HALL                       the layout, window states, connected boards   ┐ one BatchGetItem:
 *   COMMUNITY#<cid> / QDAY#<date>                the day's state (streak, version, calls,       │ board, hall, stats,
 *                                                figures, tickets that left waiting: out_<cat>) │ and the first read of
 *   COMMUNITY#<cid> / QNUM#<date>                the day's numbers per category (n_<cat>) and   ┘ every queue action
 *                                                the last number's issue instant (at_<cat>)
 *   TICKET#<id> / TICKET                         one ticket
 *
 * Waiting tickets, sparse in gsi2 (the entry is removed when the ticket leaves waiting), one
 * range per category, priority tickets first, each kind in the order of first issue:
 *
 *   gsi2pk HALL#<cid>   gsi2sk <date>#W#<category>#<0 priority | 1 normal>#<issuedAt>#<seq>#<id>
 *
 * so a window reads the head of each category it serves (a Query with a small Limit), and a
 * ticket page reads its category up to its own entry (priority tickets are few: they are all
 * ahead of a normal ticket or interleaved with the ones before it). Waiting counts are
 * n_<cat> − out_<cat>, with no read of the tickets at all.
 */
export const hallKey = (cid: string) => ({ pk: `COMMUNITY#${cid}`, sk: 'HALL' });
export const hallPartition = (cid: string) => `HALL#${cid}`;

/** The day's state: one item per hall per local day. */
export const queueDayKey = (cid: string, date: string) => ({ pk: `COMMUNITY#${cid}`, sk: `QDAY#${date}` });
/** The day's numbers: one atomic ADD per ticket (apart from the day's state, which windows lock). */
export const queueNumbersKey = (cid: string, date: string) => ({ pk: `COMMUNITY#${cid}`, sk: `QNUM#${date}` });

export const ticketKey = (id: string) => ({ pk: `TICKET#${id}`, sk: 'TICKET' });
/** GSI1: a user's tickets, newest last. */
export const ticketUserIndex = (uid: string, issuedAt: string, id: string) => ({ gsi1pk: `USER#${uid}`, gsi1sk: `TICKET#${issuedAt}#${id}` });
/** A ticket's place in its category's waiting range (see above); only while waiting. */
export interface WaitingPlace {
  communityId: string;
  date: string;
  category: string;
  priority: boolean;
  issuedAt: string;
  seq: number;
  id: string;
}
export const waitingIndex = (t: WaitingPlace) => ({
  gsi2pk: hallPartition(t.communityId),
  gsi2sk: `${waitingRange(t.date, t.category)}${t.priority ? '0' : '1'}#${t.issuedAt}#${String(t.seq).padStart(6, '0')}#${t.id}`,
});
/** The prefix of a category's waiting range; the whole day's waiting tickets share `<date>#W#`. */
export const waitingRange = (date: string, category?: string) => `${date}#W#${category === undefined ? '' : `${category}#`}`;
/** Where a category's normal tickets begin (all priority ones sort before). */
export const normalFrom = (date: string, category: string) => `${waitingRange(date, category)}1#`;

/** A person's walk-in tickets of one (hall-local) day, held under the daily limit by a conditional ADD. */
export const ticketQuotaKey = (uid: string, date: string) => ({ pk: `USER#${uid}`, sk: `QTAKEN#${date}` });

/** One active (waiting or called) ticket per resident per category: a conditional put of this item. */
export const activeTicketKey = (cid: string, uid: string, category: string) => ({ pk: `COMMUNITY#${cid}`, sk: `QACTIVE#${uid}#${category}` });

/**
 * Display boards, never entries of the hall item (anyone can open the socket):
 *   WSCONN#<connectionId> / CONN            one WebSocket connection: its hall, its pairing code or slot (TTL)
 *   COMMUNITY#<cid> / BOARDCODE#<code>      an unpaired connection's pairing code, unique per hall while valid (TTL)
 *   COMMUNITY#<cid> / BOARDSLOT#<nn>        a paired board in one of the hall's slots 01..limit (TTL): a push
 *                                           Queries the slots, bounded by the limit; pairing takes a free slot
 */
export const connectionKey = (connectionId: string) => ({ pk: `WSCONN#${connectionId}`, sk: 'CONN' });
export const boardCodeKey = (cid: string, code: string) => ({ pk: `COMMUNITY#${cid}`, sk: `BOARDCODE#${code}` });
export const boardSlotKey = (cid: string, slot: number) => ({ pk: `COMMUNITY#${cid}`, sk: `${BOARD_SLOTS}${String(slot).padStart(2, '0')}` });
/** The sort-key prefix of a hall's board slots. */
export const BOARD_SLOTS = 'BOARDSLOT#';
