import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import { errorMessage } from '../../api/errors';
import type { RequestState } from '../../hooks/use-request';
import { Button } from '../button';
import './index.css';

/** Loading: a spinner and the words, never the spinner alone. */
export function Loading({ text = '加载中…' }: { text?: string }) {
  return (
    <View className="state state--loading" role="status" aria-live="polite">
      <View className="state__spinner" aria-hidden />
      <View className="state__text">{text}</View>
    </View>
  );
}

/** Nothing to show yet, with an optional next step. */
export function Empty({ title, text, action }: { title: string; text?: string; action?: { text: string; onClick: () => void } }) {
  return (
    <View className="state state--empty">
      <View className="state__title">{title}</View>
      {text ? <View className="state__text">{text}</View> : null}
      {action ? (
        <View className="state__action">
          <Button onClick={action.onClick}>{action.text}</Button>
        </View>
      ) : null}
    </View>
  );
}

/** A failure in Chinese, with 重试 when the page can try again. */
export function ErrorState({ error, onRetry, title = '加载失败' }: { error: unknown; onRetry?: () => void; title?: string }) {
  return (
    <View className="state state--error" role="alert">
      <View className="state__title">{title}</View>
      <View className="state__text">{errorMessage(error)}</View>
      {onRetry ? (
        <View className="state__action">
          <Button variant="secondary" onClick={onRetry}>
            重试
          </Button>
        </View>
      ) : null}
    </View>
  );
}

/**
 * The three states of loaded data in one place: loading (first load only), error, empty, data.
 *
 *   <Async state={members} isEmpty={(d) => d.items.length === 0} empty={<Empty title="暂无" />}>
 *     {(d) => <List items={d.items} />}
 *   </Async>
 */
export function Async<T>({
  state,
  children,
  isEmpty,
  empty,
}: {
  state: RequestState<T>;
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
}) {
  if (state.data === undefined && state.loading) return <Loading />;
  if (state.error !== undefined && !state.loading) return <ErrorState error={state.error} onRetry={() => void state.reload()} />;
  if (state.data === undefined) return <Loading />;
  if (isEmpty?.(state.data)) return <>{empty ?? <Empty title="暂无内容" />}</>;
  return <>{children(state.data)}</>;
}
