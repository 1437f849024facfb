/**
 * Volunteers (志愿服务), one module per record kind: registrations, activities, signups, the
 * ledger (台帐), the community's counters, activity reminders and certificates. Each holds its
 * record type, its access patterns and its transaction parts; a transaction that fails says
 * which named part failed (`ConditionFailed`), and services/volunteers.ts says what that means.
 * Keys are built in keys/volunteers.ts.
 */
export * from './registrations';
export * from './activities';
export * from './signups';
export * from './ledger';
export * from './counters';
export * from './reminders';
export * from './certificates';
