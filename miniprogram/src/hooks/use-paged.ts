import { useState } from 'react';
import { useRequest } from './use-request';
import { useSubmit } from './use-submit';

/**
 * A list read a page at a time. `first` is the first page, read again when `deps` change (which
 * drops the pages added after it); `loadMore.run(next)` appends the page after, while `next` says
 * there is one. What the list shows is `first.data.items` followed by `more`.
 *
 *   const paged = usePaged((cursor) => api('listMembers', { params, query: { limit: 20, cursor } }), [cid], Boolean(cid));
 *   <LoadMore paged={paged} />
 */
export function usePaged<P extends { items: unknown[]; next?: string }>(read: (cursor?: string) => Promise<P>, deps: readonly unknown[], enabled = true) {
  const [more, setMore] = useState<P['items'][number][]>([]);
  const [next, setNext] = useState<string>();
  const first = useRequest(
    async () => {
      const page = await read();
      setMore([]);
      setNext(page.next);
      return page;
    },
    deps,
    enabled,
  );
  const loadMore = useSubmit(async (_key, cursor: string) => {
    const page = await read(cursor);
    setMore((items) => [...items, ...page.items]);
    setNext(page.next);
  });
  return { first, more, next, loadMore };
}

export type Paged = Pick<ReturnType<typeof usePaged>, 'next' | 'loadMore'>;
