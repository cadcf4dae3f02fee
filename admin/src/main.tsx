import { QueryClientProvider } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { StrictMode, useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router/dom';
import { setMessageInstance } from './lib/notify';
import { queryClient } from './lib/queryClient';
import { BASENAME, createRouter } from './router';
import { ME_KEY, fetchMe, loginAddress, pendingStep } from './session';
import { theme } from './theme';
import './styles.css';

dayjs.locale('zh-cn');
/**
 * Who is signed in decides the first screen (index.html preloads the answer). Without a
 * finished login the address becomes the login screen's before the router first matches, so
 * that screen (in the main bundle) shows at once. A failed or late answer changes nothing: the
 * session guard asks again and decides, as on any later 401.
 */
async function firstAddress(): Promise<void> {
  const asked = queryClient.fetchQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Infinity, retry: false }).catch(() => undefined);
  // A server that does not answer must not keep the page blank: the guard's spinner shows then.
  const me = await Promise.race([asked, new Promise<undefined>((resolve) => setTimeout(resolve, 3000))]);
  const path = location.pathname.startsWith(BASENAME) ? location.pathname.slice(BASENAME.length) || '/' : '/';
  if (me === undefined || path.startsWith('/login')) return;
  if (me === null || pendingStep(me) !== null) history.replaceState(null, '', BASENAME + loginAddress(path + location.search));
}

/** Hands antd's context-aware message API to code outside React (the query client). */
function MessageBridge() {
  const { message } = AntApp.useApp();
  useEffect(() => setMessageInstance(message), [message]);
  return null;
}

await firstAddress();
const router = createRouter();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ConfigProvider locale={zhCN} theme={theme} button={{ autoInsertSpace: false }}>
      <AntApp>
        <MessageBridge />
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </AntApp>
    </ConfigProvider>
  </StrictMode>,
);
