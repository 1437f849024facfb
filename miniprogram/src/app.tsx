import type { PropsWithChildren } from 'react';
import { useLaunch } from '@tarojs/taro';
import { loginSilently } from './api/client';
import { usesDevLogin } from './platform';
import { currentToken } from './store/session';
import './store/elder';
import './app.css';

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // weapp: sign in with WeChat before the first page needs it. Failures surface on the pages
    // (every authenticated call logs in again when it must).
    if (!usesDevLogin && !currentToken()) void loginSilently().catch(() => undefined);
  });
  return children;
}

export default App;
