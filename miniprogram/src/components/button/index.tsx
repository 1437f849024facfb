import type { ReactNode } from 'react';
import { Button as TaroButton } from '@tarojs/components';
import { tappable } from '../a11y';
import './index.css';

export type ButtonVariant = 'primary' | 'secondary' | 'danger' | 'plain';

/**
 * A tap target at least var(--tap) high (44px, 60px in elder mode). While `loading` it shows
 * `loadingText` (words, not only a spinner) and ignores taps. On h5 it is a button to screen
 * readers and the keyboard too (see ../a11y).
 */
export function Button({
  children,
  onClick,
  variant = 'primary',
  block = false,
  small = false,
  loading = false,
  loadingText,
  disabled = false,
  className,
}: {
  children: ReactNode;
  onClick?: () => void;
  variant?: ButtonVariant;
  block?: boolean;
  small?: boolean;
  loading?: boolean;
  loadingText?: string;
  disabled?: boolean;
  className?: string;
}) {
  const classes = ['btn', `btn--${variant}`, block ? 'btn--block' : '', small ? 'btn--small' : '', disabled || loading ? 'btn--disabled' : '', className ?? '']
    .filter(Boolean)
    .join(' ');
  const tap = () => {
    if (!disabled && !loading) onClick?.();
  };
  return (
    <TaroButton {...tappable(tap, { disabled: disabled || loading })} className={classes} disabled={disabled || loading} aria-busy={loading} onClick={tap}>
      {loading ? (loadingText ?? '请稍候…') : children}
    </TaroButton>
  );
}
