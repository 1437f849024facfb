/** Pieces shared by the consultation pages (this subpackage only). */
import { Textarea, View } from '@tarojs/components';
import type { ApiResponse } from '../api/client';
import { tappable } from '../components/a11y';
import type { Tone } from '../components/status-tag';
import './shared.css';

export type Consultation = ApiResponse<'getConsultation'>;
export type Results = NonNullable<Consultation['results']>;

export const STATE_TAG: Record<Consultation['state'], { text: string; tone: Tone }> = {
  upcoming: { text: '未开始', tone: 'info' },
  open: { text: '投票中', tone: 'ok' },
  closed: { text: '已截止', tone: 'pending' },
  published: { text: '已公开', tone: 'info' },
};

export const ruleText = (c: Pick<Consultation, 'eligibility' | 'maxChoices' | 'quorumPercent'>): string =>
  [
    c.eligibility === 'household' ? '一户一票（按核实门牌）' : '每位已核实居民一票',
    c.maxChoices > 1 ? `最多选 ${c.maxChoices} 项` : '单选',
    c.quorumPercent !== undefined ? `参与率达到 ${c.quorumPercent}% 方为有效` : '',
  ]
    .filter(Boolean)
    .join(' · ');

/** A multi-line text input with a label and a counter. */
export function TextBox({
  label,
  value,
  onInput,
  maxlength,
  placeholder,
  error,
}: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  maxlength: number;
  placeholder?: string;
  error?: string;
}) {
  return (
    <View className="textbox">
      <View className="textbox__label">{label}</View>
      <Textarea
        className="textbox__input"
        value={value}
        maxlength={maxlength}
        placeholder={placeholder}
        aria-label={label}
        nativeProps={{ 'aria-label': label }}
        autoHeight
        onInput={(event) => onInput(event.detail.value)}
      />
      <View className="textbox__count muted">
        {value.length}/{maxlength}
      </View>
      {error ? (
        <View className="textbox__error" role="alert">
          错误：{error}
        </View>
      ) : null}
    </View>
  );
}

/** A choice row: a large tap target whose state is spelled out (已选), not only drawn. */
export function ChoiceRow({ label, selected, onTap, multiple }: { label: string; selected: boolean; onTap: () => void; multiple: boolean }) {
  return (
    <View
      className={`choice ${selected ? 'choice--on' : ''}`}
      {...tappable(onTap, { role: multiple ? 'checkbox' : 'radio', checked: selected, label })}
      onClick={onTap}
    >
      <View className="choice__mark">{multiple ? (selected ? '☑' : '☐') : selected ? '◉' : '○'}</View>
      <View className="choice__label">{label}</View>
      {selected ? <View className="choice__state">已选</View> : null}
    </View>
  );
}

/** A horizontal bar chart of plain Views: each bar's number and share are written beside it. */
export function BarChart({ options, results }: { options: Consultation['options']; results: Results }) {
  const max = Math.max(1, ...options.map((o) => results.tally[o.id] ?? 0));
  return (
    <View className="bars" role="list" aria-label="各选项得票">
      {options.map((o) => {
        const n = results.tally[o.id] ?? 0;
        const share = results.ballots > 0 ? Math.round((n * 1000) / results.ballots) / 10 : 0;
        return (
          <View key={o.id} className="bar" role="listitem" aria-label={`${o.label} ${n} 票`}>
            <View className="bar__head">
              <View className="bar__label">{o.label}</View>
              <View className="bar__value">
                {n} 票 · {share}%
              </View>
            </View>
            <View className="bar__track">
              <View className="bar__fill" style={{ width: `${(n / max) * 100}%` }} />
            </View>
          </View>
        );
      })}
    </View>
  );
}
