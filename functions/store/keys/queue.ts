/**
 * Service-hall queue keys. One gsi2 partition per hall, `HALL#<cid>`, holds everything a window,
 * a ticket page or the board needs, so each of them is ONE Query:
 *
 *   gsi2sk                              item
 *   <date>#C                            the day's counters and state (priority streak, calls, stats)
 *   <date>#W#<issuedAt>#<ticketId>      a waiting ticket (sparse: the index entry is removed on call)
 *   ~CONN#<connectionId>                a display board connected over WebSocket
 *   ~HALL                               the hall layout and window states
 *
 * A Query `gsi2sk >= <yesterday>#` returns the hall, its boards, and the waiting tickets and
 * state of (the hall's) today; the service drops yesterday's leftovers. Waiting tickets of
 * earlier days stay out of the range, so the partition read never grows with history.
 */
export const hallKey = (cid: string) => ({ pk: `COMMUNITY#${cid}`, sk: 'HALL' });
export const hallPartition = (cid: string) => `HALL#${cid}`;
export const hallIndex = (cid: string) => ({ gsi2pk: hallPartition(cid), gsi2sk: '~HALL' });

/** The day's numbers and state: one item per hall per local day (numbers restart each day). */
export const queueDayKey = (cid: string, date: string) => ({ pk: `COMMUNITY#${cid}`, sk: `QDAY#${date}` });
export const queueDayIndex = (cid: string, date: string) => ({ gsi2pk: hallPartition(cid), gsi2sk: `${date}#C` });

export const ticketKey = (id: string) => ({ pk: `TICKET#${id}`, sk: 'TICKET' });
/** GSI1: a user's tickets, newest last. */
export const ticketUserIndex = (uid: string, issuedAt: string, id: string) => ({ gsi1pk: `USER#${uid}`, gsi1sk: `TICKET#${issuedAt}#${id}` });
/** GSI2, only while waiting: the hall's waiting tickets by original issue time. */
export const waitingIndex = (cid: string, date: string, issuedAt: string, id: string) => ({
  gsi2pk: hallPartition(cid),
  gsi2sk: `${date}#W#${issuedAt}#${id}`,
});

/** One active (waiting or called) ticket per resident per category: a conditional put of this item. */
export const activeTicketKey = (cid: string, uid: string, category: string) => ({ pk: `COMMUNITY#${cid}`, sk: `QACTIVE#${uid}#${category}` });

/** The hall's partition from a day on (see above). */
export const hallQuery = (cid: string, fromDate: string) => ({ gsi2pk: hallPartition(cid), gsi2skFrom: `${fromDate}#` });

/** Display boards connected over WebSocket; the reverse item finds the hall on $disconnect. */
export const boardConnectionKey = (cid: string, connectionId: string) => ({ pk: `HALL#${cid}`, sk: `CONN#${connectionId}` });
export const boardConnectionIndex = (cid: string, connectionId: string) => ({ gsi2pk: hallPartition(cid), gsi2sk: `~CONN#${connectionId}` });
export const connectionKey = (connectionId: string) => ({ pk: `WSCONN#${connectionId}`, sk: 'CONN' });
