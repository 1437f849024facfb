/// <reference types="@tarojs/taro" />

declare module '*.png';
declare module '*.css';

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production';
    TARO_ENV: 'weapp' | 'h5' | 'swan' | 'alipay' | 'tt' | 'qq' | 'jd' | 'harmony' | 'rn' | 'jdrn';
  }
}

/** The API's base URL, fixed at build time from env LINLI_API_BASE (config/index.ts). */
declare const LINLI_API_BASE: string;
/** [method, path, auth] of every contract route by name, fixed at build time (config/routes.ts). */
declare const LINLI_ROUTES: Record<string, [string, string, string]>;

interface Window {
  /** h5 only: a run-time override of LINLI_API_BASE (the browser tests inject it). */
  __LINLI_API_BASE__?: string;
}
