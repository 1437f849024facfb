/**
 * The tally lives in sharded counter items that hold numbers only: a ballot adds 1 to
 * `ballots` and 1 to each chosen option on ONE shard picked at random, so the hot spot of a
 * closing vote is spread over SHARDS items, and no counter ever holds who voted.
 */
export const SHARDS = 16;

/** The attribute of an option's counter on a shard item. */
export const optionAttribute = (optionId: string): string => `o_${optionId}`;

export interface ShardCounts {
  ballots?: number;
  [attribute: string]: unknown;
}

/** Sums the shards: ballots and choices per option (options nobody chose count 0). */
export function sumShards(optionIds: readonly string[], shards: readonly ShardCounts[]): { tally: Record<string, number>; ballots: number } {
  const tally: Record<string, number> = Object.fromEntries(optionIds.map((id) => [id, 0]));
  let ballots = 0;
  for (const shard of shards) {
    ballots += typeof shard.ballots === 'number' ? shard.ballots : 0;
    for (const id of optionIds) {
      const n = shard[optionAttribute(id)];
      if (typeof n === 'number') tally[id] = (tally[id] ?? 0) + n;
    }
  }
  return { tally, ballots };
}

/** Option ids: the given ones, else A, B, C… (skipping any given id). Duplicates are an error. */
export function assignOptionIds(options: readonly { id?: string; label: string }[]): { options: { id: string; label: string }[]; duplicate?: string } {
  const taken = new Set(options.flatMap((o) => (o.id ? [o.id] : [])));
  const seen = new Set<string>();
  let duplicate: string | undefined;
  let next = 0;
  const letter = (n: number) => (n < 26 ? String.fromCharCode(65 + n) : `O${n + 1}`);
  const result = options.map((o) => {
    let id = o.id;
    if (!id) {
      while (taken.has(letter(next))) next++;
      id = letter(next++);
    }
    if (seen.has(id)) duplicate = id;
    seen.add(id);
    return { id, label: o.label };
  });
  return { options: result, duplicate };
}
