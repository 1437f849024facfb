import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import './index.css';

/** A row of label and value (门牌 7-2-501); a long value wraps in its own column. */
export function FactLine({ label, children }: { label: string; children: ReactNode }) {
  return (
    <View className="fact-line">
      <View className="fact-line__label">{label}</View>
      <View className="fact-line__value">{children}</View>
    </View>
  );
}
