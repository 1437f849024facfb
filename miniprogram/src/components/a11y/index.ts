/**
 * What makes a tappable element known to assistive technology and reachable by keyboard on h5,
 * where Taro's <Button> is a custom element (taro-button-core) without a role or a tab stop and a
 * tappable <View> is a plain element. Spread onto the element:
 *
 *   <Button {...tappable(onTap)} onClick={onTap}>…</Button>
 *   <View {...tappable(onTap, { role: 'switch', checked: on })} onClick={onTap}>…</View>
 *
 * weapp keeps only the attributes its templates know, so these are dropped there: its native
 * <button> already is a button to the screen reader.
 */
export interface TappableOptions {
  role?: 'button' | 'switch' | 'checkbox' | 'radio' | 'link';
  /** aria-checked, for switch, checkbox and radio. */
  checked?: boolean;
  disabled?: boolean;
  label?: string;
}

export function tappable(onTap: (() => void) | undefined, options: TappableOptions = {}): Record<string, unknown> {
  const { role = 'button', checked, disabled = false, label } = options;
  return {
    role,
    tabIndex: disabled ? -1 : 0,
    'aria-disabled': disabled || undefined,
    ...(checked === undefined ? {} : { 'aria-checked': checked }),
    ...(label ? { 'aria-label': label } : {}),
    // Enter and Space activate it, as they do a native button.
    onKeyDown: (event: { key?: string; preventDefault?: () => void }) => {
      if (disabled || (event.key !== 'Enter' && event.key !== ' ')) return;
      event.preventDefault?.();
      onTap?.();
    },
  };
}
