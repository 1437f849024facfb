/**
 * Transactions built from named parts, and conditional writes that fail by name.
 *
 * An entity module names each item it adds to a transaction (`slot`, `appointment`, `bookingDay`,
 * `membership`…); when the database cancels the transaction, the names of the parts whose
 * condition failed come back in a typed `ConditionFailed`, with each such item as it was when the
 * part asked for it (`ReturnValuesOnConditionCheckFailure: 'ALL_OLD'`). The store says what
 * happened; the service says what it means to a person (an `AppError`), once.
 *
 * A part may be one item, a list of items (the reminders of a booking), or undefined (left out).
 * Parts are sent in the order they are named.
 */
import { TransactWriteCommand, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { isConditionFailure, retryOnConflict, send } from './client';
import { answerPart, type Answer } from './idempotency';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
export type Part = TransactItem | readonly TransactItem[] | undefined;
export type Parts<N extends string> = { readonly [K in N]: Part };
type Item = Record<string, unknown>;

/** The named parts of a transaction (or the one conditional write) whose condition failed. */
export class ConditionFailed<N extends string = string> extends Error {
  override readonly name = 'ConditionFailed';

  constructor(
    readonly failed: readonly N[],
    private readonly before: Partial<Record<N, Item>> = {},
  ) {
    super(`condition failed: ${failed.join(', ')}`);
  }

  has(part: N): boolean {
    return this.failed.includes(part);
  }

  /** The item as it was, for a part that asked for it with ReturnValuesOnConditionCheckFailure. */
  item<T = Item>(part: N): T | undefined {
    return this.before[part] as T | undefined;
  }
}

/** Narrows an unknown error to a ConditionFailed (of the caller's part names). */
export function isConditionFailed<N extends string>(error: unknown): error is ConditionFailed<N> {
  return error instanceof ConditionFailed;
}

/** The document client does not translate errors: an old item arrives in attribute-value form. */
function plain(raw: Item | undefined): Item | undefined {
  if (!raw) return undefined;
  const marshalled = Object.values(raw).every((v) => v !== null && typeof v === 'object' && !Array.isArray(v));
  try {
    return marshalled ? unmarshall(raw as Parameters<typeof unmarshall>[0]) : raw;
  } catch {
    return raw;
  }
}

interface CancellationReason {
  Code?: string;
  Item?: Item;
}

/**
 * One TransactWriteItems of the named parts, retried while it only lost a race with another
 * transaction (its conditions decide the rest). A cancellation for failed conditions throws
 * `ConditionFailed` with the failed parts' names.
 *
 * `answers`: this transaction is the request's act, and this is what the route will answer. When
 * the request carries an Idempotency-Key on a route that records it with the act (see
 * store/idempotency.ts), the record and that response are written by this same transaction.
 */
export async function transact<N extends string>(parts: Parts<N>, options: { answers?: Answer } = {}): Promise<void> {
  const items: TransactItem[] = [];
  const owner: string[] = [];
  const guard = options.answers === undefined ? undefined : answerPart(options.answers);
  for (const [name, part] of [...Object.entries(parts as Record<string, Part>), ...(guard ? ([['idempotency', guard.item]] as const) : [])]) {
    for (const item of part === undefined ? [] : Array.isArray(part) ? part : [part as TransactItem]) {
      items.push(item);
      owner.push(name);
    }
  }
  try {
    await retryOnConflict(() => send(new TransactWriteCommand({ TransactItems: items })));
  } catch (error) {
    const e = error as { name?: string; CancellationReasons?: CancellationReason[] };
    if (e?.name !== 'TransactionCanceledException' || !e.CancellationReasons) throw error;
    const failed: string[] = [];
    const before: Record<string, Item> = {};
    e.CancellationReasons.forEach((reason, index) => {
      const name = owner[index];
      if (reason.Code !== 'ConditionalCheckFailed' || name === undefined) return;
      if (!failed.includes(name)) failed.push(name);
      const item = plain(reason.Item);
      if (item && !before[name]) before[name] = item;
    });
    if (failed.length === 0) throw error;
    if (guard && failed.includes('idempotency')) guard.taken(before.idempotency);
    throw new ConditionFailed(failed as N[], before as Partial<Record<N, Item>>);
  }
}

/**
 * One conditional write (Put, Update or Delete command) whose failed condition comes back as
 * `ConditionFailed<name>`, with the item as it was when the command asked for it.
 */
export async function conditional<N extends string, T = Item>(name: N, command: { readonly input: object }): Promise<T> {
  try {
    return await send<T>(command);
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    const before = plain((error as { Item?: Item }).Item);
    throw new ConditionFailed<N>([name], before ? ({ [name]: before } as Partial<Record<N, Item>>) : {});
  }
}
