/**
 * The keys of the single table are built here (one file per capability in this folder), or in
 * the entity modules of a capability that owns its keys (store/appointments/, store/family/,
 * store/escorts.ts, store/consultations/, store/notices.ts), and nowhere else. ARCHITECTURE.md lists each access pattern and the index that serves it.
 *
 * Attributes: pk/sk (base table), gsi1pk/gsi1sk ("by user": a person's own things),
 * gsi2pk/gsi2sk ("community lists": things of a community in the order a screen shows them),
 * `type` on every item, and `expiresAt` (epoch seconds, TTL) on items that expire.
 */
export * from './identity';
export * from './volunteers';
export * from './reminders';
export * from './queue';
export * from './audit';
export * from './uploads';
export * from './regions';
export * from './requests';
