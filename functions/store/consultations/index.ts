/**
 * Consultations (议事协商) in the table, one module per record kind: topics (征), the
 * consultation (决, 两公开), ballots (the counter shards and the "has voted" markers), the
 * discussion (议) and the results notices at the close. Each says what failed by name
 * (`ConditionFailed`); services/consultations.ts says what it means to a person.
 */
export * from './topics';
export * from './consultations';
export * from './ballots';
export * from './comments';
export * from './results-notices';
