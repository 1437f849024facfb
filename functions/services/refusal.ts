/**
 * What a store's failed condition means to a person. The store names the parts whose condition
 * failed (`ConditionFailed`); the service says what each means, once, as a function of the
 * failure or as meanings by part name (the first named part that failed, in the order written):
 *
 *   await refusing(store.putRegion(region, actor.id), (failed) =>
 *     failed.has('name') ? new AppError('REGION_CONFLICT', '已有同名的街道') : undefined);
 *   await refusing(store.vote(…), { marker: alreadyVoted, member: notEligible });
 *
 * Any other error, or a failure the meaning does not name, passes on as it is.
 */
import type { AppError } from '@contract/errors';
import { isConditionFailed, type ConditionFailed } from '../store/transaction';

export type Meaning<N extends string> =
  | ((failed: ConditionFailed<N>) => AppError | undefined)
  | { readonly [K in N]?: (failed: ConditionFailed<N>) => AppError };

function meaningOf<N extends string>(failed: ConditionFailed<N>, meaning: Meaning<N>): AppError | undefined {
  if (typeof meaning === 'function') return meaning(failed);
  const named = (Object.entries(meaning) as [N, (failed: ConditionFailed<N>) => AppError][]).find(([part]) => failed.has(part));
  return named?.[1](failed);
}

/** A catch handler: rethrows a named failure as its AppError, anything else as it came. */
export const refuse =
  <N extends string>(meaning: Meaning<N>) =>
  (error: unknown): never => {
    throw (isConditionFailed<N>(error) && meaningOf(error, meaning)) || error;
  };

/** Runs a store act, answering a named failure with its AppError. */
export const refusing = <T, N extends string>(write: Promise<T>, meaning: Meaning<N>): Promise<T> => write.catch(refuse(meaning));
