import { Button } from '../button';
import type { Paged } from '../../hooks/use-paged';

/** 加载更多, while a paged list (hooks/use-paged.ts) has a page after the ones shown. */
export function LoadMore({ paged }: { paged: Paged }) {
  const { next, loadMore } = paged;
  if (!next) return null;
  return (
    <Button variant="secondary" block loading={loadMore.busy} loadingText="加载中…" onClick={() => void loadMore.run(next)}>
      加载更多
    </Button>
  );
}
