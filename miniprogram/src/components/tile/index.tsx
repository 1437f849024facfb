import type { ReactNode } from 'react';
import { Button, View } from '@tarojs/components';
import { tappable } from '../a11y';
import './index.css';

/** A large shortcut: a title, one line of explanation, an optional badge. Wrap in <Tiles>. */
export function Tile({ title, text, badge, onClick }: { title: string; text?: string; badge?: ReactNode; onClick: () => void }) {
  return (
    <Button {...tappable(onClick)} className="tile" onClick={onClick}>
      <View className="tile__title">{title}</View>
      {text ? <View className="tile__text">{text}</View> : null}
      {badge ? <View className="tile__badge">{badge}</View> : null}
    </Button>
  );
}

/** Two tiles a row; one a row in elder mode. */
export function Tiles({ children }: { children: ReactNode }) {
  return <View className="tiles">{children}</View>;
}
