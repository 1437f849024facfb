/**
 * What a store's failed condition means to a person. The store names the parts whose condition
 * failed (`ConditionFailed`); the service maps each name to its AppError here, once:
 *
 *   await store.putRegion(region, actor.id).catch(refuse<NewRegionPart>((failed) =>
 *     failed.has('name') ? new AppError('REGION_CONFLICT', '已有同名的街道') : undefined));
 *
 * Any other error, or a failed part the mapping does not name, passes on as it is.
 */
import type { AppError } from '@contract/errors';
import { isConditionFailed, type ConditionFailed } from '../store/transaction';

export const refuse =
  <N extends string>(meaning: (failed: ConditionFailed<N>) => AppError | undefined) =>
  (error: unknown): never => {
    throw (isConditionFailed<N>(error) && meaning(error)) || error;
  };
