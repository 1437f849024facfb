import { View } from '@tarojs/components';
import { tappable } from '../a11y';
import './index.css';

/**
 * Five large stars to tap (1–5), a radio group to screen readers, each named by `label(n)`
 * ('5 分 非常满意'); in elder mode they grow with the tap target.
 */
export function Stars({ score, onChange, label, groupLabel }: { score: number; onChange: (score: number) => void; label: (n: number) => string; groupLabel: string }) {
  return (
    <View className="stars" role="radiogroup" aria-label={groupLabel}>
      {[1, 2, 3, 4, 5].map((n) => {
        const pick = () => onChange(n);
        return (
          <View key={n} className={`star ${n <= score ? 'star--on' : ''}`} {...tappable(pick, { role: 'radio', checked: score === n, label: label(n) })} onClick={pick}>
            {n <= score ? '★' : '☆'}
          </View>
        );
      })}
    </View>
  );
}
