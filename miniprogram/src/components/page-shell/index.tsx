import type { ReactNode } from 'react';
import { View } from '@tarojs/components';
import { ELDER_CLASS, useElderMode } from '../../store/elder';

/**
 * The root of every page: carries the `page` class (design tokens) and, in elder mode, the
 * `elder` class that enlarges and darkens everything below it.
 */
export function PageShell({ children, className }: { children: ReactNode; className?: string }) {
  const elder = useElderMode();
  return <View className={['page', elder ? ELDER_CLASS : '', className ?? ''].filter(Boolean).join(' ')}>{children}</View>;
}
