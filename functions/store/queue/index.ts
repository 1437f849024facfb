/**
 * The service hall in the single table, one module per record kind:
 *   halls.ts    the hall: layout, open windows, until when it may have boards
 *   days.ts     a hall's day (state and figures, with the one map of its stored attribute names),
 *               the day's numbers, and the first read of every queue action
 *   tickets.ts  tickets, the resident's active marker, the walk-in count; the waiting index
 *   boards.ts   display boards: connections, pairing codes, slots
 * Keys and the partition layout: keys/queue.ts.
 */
export * from './halls';
export * from './days';
export * from './tickets';
export * from './boards';
