import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import './index.css';

/** A labelled number (indicators); `text` for a word or date value. Wrap several in <Figures>. */
export function Figure({ label, value, unit, text = false }: { label: string; value: ReactNode; unit?: string; text?: boolean }) {
  return (
    <View className="figure">
      <View className={`figure__value ${text ? 'figure__value--text' : ''}`}>
        {value}
        {unit ? <View className="figure__unit" style={{ display: 'inline' }}>{unit}</View> : null}
      </View>
      <View className="figure__label">{label}</View>
    </View>
  );
}

export function Figures({ children }: { children: ReactNode }) {
  return <View className="figures">{children}</View>;
}
