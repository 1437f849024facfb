/**
 * The outbox: messages a state change owes (WeChat subscription messages, board pushes), written
 * in the change's own transaction and delivered by the `outbox` function.
 *
 * | item (`type`)          | pk                 | sk                   | GSI1 (pending, sparse)                 | GSI2 (dead letters, sparse)      |
 * |------------------------|--------------------|----------------------|----------------------------------------|----------------------------------|
 * | OutboxMessage          | OUTBOX#<id>        | OUTBOX               | OUTBOX#PENDING / <next attempt>#<id>   | OUTBOX#DEAD / <dead at>#<id>     |
 * | Subscription (consent) | USER#<uid>         | SUBSCRIBE#<template> |                                        |                                  |
 * | WeChat access token    | WECHAT#TOKEN       | STABLE               |                                        |                                  |
 *
 * A message is in the pending index only while it waits to be delivered (the drain reads it up
 * to "now"), and in the dead-letter index only once it was given up on; a delivered message
 * keeps neither and expires (TTL).
 */
export const outboxKey = (id: string) => ({ pk: `OUTBOX#${id}`, sk: 'OUTBOX' });

/**
 * Test workers share one table and each delivers in-process what it wrote: OUTBOX_LANE (set
 * only by the tests' WeChat stand-in) gives each its own pending partition. Unset in AWS.
 */
const pending = () => `OUTBOX#PENDING${process.env.OUTBOX_LANE ? `#${process.env.OUTBOX_LANE}` : ''}`;
const DEAD = 'OUTBOX#DEAD';

export const outboxPendingIndex = (nextAt: string, id: string) => ({ gsi1pk: pending(), gsi1sk: `${nextAt}#${id}` });
/** Pending messages due by `at` (ISO): gsi1sk ≤ "<at>#~". */
export const outboxDueQuery = (at: string) => ({ gsi1pk: pending(), gsi1skTo: `${at}#~` });

export const outboxDeadIndex = (deadAt: string, id: string) => ({ gsi2pk: DEAD, gsi2sk: `${deadAt}#${id}` });
export const outboxDeadQuery = () => ({ gsi2pk: DEAD });

/** One item per person and template: how many one-time messages they accepted and not yet used. */
export const subscriptionKey = (uid: string, template: string) => ({ pk: `USER#${uid}`, sk: `SUBSCRIBE#${template}` });
export const subscriptionsQuery = (uid: string) => ({ pk: `USER#${uid}`, skPrefix: 'SUBSCRIBE#' });

/** The app's WeChat access token, shared by every instance (stable_token). */
export const wechatTokenKey = () => ({ pk: 'WECHAT#TOKEN', sk: 'STABLE' });
