import { useState, type ReactNode } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { View } from '@tarojs/components';
import { ELDER_CLASS, useElderMode } from '../../store/elder';
import { back, isTab } from '../../nav';
import { platformName } from '../../platform';
import { ProxyBanner } from '../../family/proxy-banner';
import { tappable } from '../a11y';
import './index.css';

/** This page's path without its query ('/appointments/detail/index'). */
const currentPath = (): string => `/${(Taro.getCurrentInstance().router?.path ?? '').split('?')[0]?.replace(/^\/+/, '') ?? ''}`;

/** The title the page's index.config.ts gives (Taro keeps the page config on the page instance). */
const currentTitle = (): string =>
  ((Taro.getCurrentInstance().page as { config?: { navigationBarTitleText?: string } } | null | undefined)?.config?.navigationBarTitleText ?? '');

/**
 * The browser build's title bar: WeChat draws a title and a back arrow above every page, a
 * browser does not (a resident who cancelled a booking had no way out). Back goes to the
 * previous page, or to 首页 when the page was opened directly (a link, a QR code).
 */
function TitleBar() {
  const [path] = useState(currentPath);
  const [title, setTitle] = useState(currentTitle);
  // While a page renders for the first time Taro may still point at the previous page: read again once it shows.
  useDidShow(() => setTitle(currentTitle() || title));
  // Tab pages: the tab bar is their way around.
  if (isTab(path)) return null;
  const goBack = () => back();
  return (
    <View className="shell-bar" role="banner">
      <View className="shell-bar__back" onClick={goBack} {...tappable(goBack, { label: '返回上一页' })}>
        ‹ 返回
      </View>
      <View className="shell-bar__title" role="heading" aria-level={1}>{title}</View>
    </View>
  );
}

/**
 * The root of every page: carries the `page` class (design tokens) and, in elder mode, the
 * `elder` class that enlarges and darkens everything below it. On h5 a sub-page starts with a
 * title bar and a back button (weapp has WeChat's own). While acting for an elder (亲情代办),
 * every page shows 正在为 … 代办.
 */
export function PageShell({ children, className }: { children: ReactNode; className?: string }) {
  const elder = useElderMode();
  return (
    <View className={['page', elder ? ELDER_CLASS : '', className ?? ''].filter(Boolean).join(' ')}>
      {platformName === 'h5' ? <TitleBar /> : null}
      {/* Every signed-in call acts for the elder while 代办 is on: every page says so, with the way out. */}
      <ProxyBanner />
      {children}
    </View>
  );
}
