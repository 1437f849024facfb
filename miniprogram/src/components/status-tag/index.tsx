import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import './index.css';

export type Tone = 'ok' | 'pending' | 'danger' | 'info';

/** A status word in a pill. The word carries the meaning; the colour only repeats it. */
export function StatusTag({ tone, children }: { tone: Tone; children: ReactNode }) {
  return <View className={`tag tag--${tone}`}>{children}</View>;
}
