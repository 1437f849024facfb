import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import './index.css';

/** A white block with an optional title and something on the title's right (a tag, a link). */
export function Card({ title, extra, children, className }: { title?: ReactNode; extra?: ReactNode; children?: ReactNode; className?: string }) {
  return (
    <View className={`card ${className ?? ''}`}>
      {title || extra ? (
        <View className="card__head">
          {title ? <View className="card__title">{title}</View> : <View />}
          {extra}
        </View>
      ) : null}
      {children}
    </View>
  );
}
