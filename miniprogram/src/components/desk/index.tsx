import { useState, type ReactNode } from 'react';
import { View } from '@tarojs/components';
import { tappable } from '../a11y';
import { Button } from '../button';
import { Field } from '../field';
import './index.css';

/** The back office's state tabs (待核实 / 已核实 …): one chosen at a time, a radio group to a screen reader. */
export function StatusTabs<S extends string>({ tabs, labels, value, onChange, label }: {
  tabs: readonly S[];
  labels: Record<S, string>;
  value: S;
  onChange: (tab: S) => void;
  /** What the tabs choose, for the screen reader (成员状态). */
  label: string;
}) {
  return (
    <View className="bo-tabs" role="radiogroup" aria-label={label}>
      {tabs.map((tab) => (
        <View
          key={tab}
          className={`bo-tab ${tab === value ? 'bo-tab--on' : ''}`}
          {...tappable(() => onChange(tab), { role: 'radio', checked: tab === value, label: labels[tab] })}
          onClick={() => onChange(tab)}
        >
          {labels[tab]}
        </View>
      ))}
    </View>
  );
}

/** The back office's "find by 门牌 or name" row: the field, 查找, then any actions given as children. */
export function SearchBar({ label, placeholder, onSearch, needsText = false, children }: {
  label: string;
  placeholder: string;
  onSearch: (text: string) => void;
  /** 查找 stays disabled until something is typed (a search that must name someone). */
  needsText?: boolean;
  children?: ReactNode;
}) {
  const [typed, setTyped] = useState('');
  return (
    <View className="bo-search">
      <View className="bo-search__field">
        <Field label={label} value={typed} onInput={setTyped} placeholder={placeholder} maxlength={20} />
      </View>
      <Button variant="secondary" disabled={needsText && !typed.trim()} onClick={() => onSearch(typed.trim())}>
        查找
      </Button>
      {children}
    </View>
  );
}
