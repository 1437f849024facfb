import type { Page } from '@contract/common';
import { queryPage } from '../table';

type PageQuery = Parameters<typeof queryPage>[0];

/**
 * Reads a filtered query page by page until `limit` items matched, the list ended, or
 * `FILTERED_ROUNDS` reads were made (then the page is short and `next` continues). Each read
 * evaluates at most the items still missing, so a page never exceeds `limit` and its cursor is
 * exact.
 */
const FILTERED_ROUNDS = 20;
export async function filteredPage(input: PageQuery & { Limit: number }, cursor: string | undefined): Promise<Page<Record<string, unknown>>> {
  const items: Record<string, unknown>[] = [];
  let next = cursor;
  for (let round = 0; round < FILTERED_ROUNDS; round++) {
    const page = await queryPage({ ...input, Limit: input.Limit - items.length }, next);
    items.push(...page.items);
    next = page.next;
    if (!next || items.length >= input.Limit || !input.FilterExpression) break;
  }
  return { items, next };
}
