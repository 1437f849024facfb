import { Input, View } from '@tarojs/components';
import './index.css';

/**
 * A labelled one-line input. The error is a sentence under the input (prefixed 错误：so that it
 * is not told by colour alone).
 */
export function Field({
  label,
  value,
  onInput,
  placeholder,
  hint,
  error,
  optional = false,
  type = 'text',
  maxlength,
  name,
}: {
  label: string;
  value: string;
  onInput: (value: string) => void;
  placeholder?: string;
  hint?: string;
  error?: string;
  optional?: boolean;
  type?: 'text' | 'number' | 'idcard' | 'digit';
  maxlength?: number;
  name?: string;
}) {
  return (
    <View className={`field ${error ? 'field--invalid' : ''}`}>
      <View className="field__label">
        {label}
        {optional ? <View className="field__optional" style={{ display: 'inline' }}>（选填）</View> : null}
      </View>
      <Input
        className="field__input"
        name={name}
        value={value}
        type={type}
        placeholder={placeholder}
        maxlength={maxlength ?? 140}
        aria-label={label}
        // h5: the label reaches the real <input> inside Taro's wrapper only through nativeProps.
        nativeProps={{ 'aria-label': label }}
        onInput={(event) => onInput(event.detail.value)}
      />
      {error ? <View className="field__error" role="alert">错误：{error}</View> : hint ? <View className="field__hint">{hint}</View> : null}
    </View>
  );
}
