import { useQueryClient } from '@tanstack/react-query';
import { Spin } from 'antd';
import { Suspense, lazy, useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import { onUnauthenticated } from '../api';
import type { Ability } from '../lib/access';
import { ME_KEY, SessionProvider, loginAddress, pendingStep, useMeQuery, useSession } from '../session';

const Forbidden = lazy(() => import('./NotFound').then((m) => ({ default: m.Forbidden })));

export function FullScreenSpin() {
  return (
    <div style={{ display: 'grid', placeItems: 'center', height: '100%' }}>
      <Spin size="large" aria-label="正在加载" />
    </div>
  );
}

/**
 * The console behind the login: no session (or an unfinished login) goes to the login screen,
 * keeping the address asked for so the user lands there afterwards.
 */
export function RequireSession() {
  const me = useMeQuery();
  const qc = useQueryClient();
  const location = useLocation();
  // Any API call answering 401 means the session ended (expired, logged out elsewhere).
  useEffect(() => onUnauthenticated(() => qc.setQueryData(ME_KEY, null)), [qc]);
  if (me.isPending) return <FullScreenSpin />;
  if (!me.data || pendingStep(me.data) !== null) {
    return <Navigate to={loginAddress(`${location.pathname}${location.search}`)} replace />;
  }
  return (
    <SessionProvider me={me.data}>
      <Outlet />
    </SessionProvider>
  );
}

/** A screen the user's grants do not include: said plainly, with a way back. */
export function RequireAbility({ ability }: { ability: Ability }) {
  const { can } = useSession();
  return can[ability] ? (
    <Outlet />
  ) : (
    <Suspense fallback={<Spin aria-label="正在加载" />}>
      <Forbidden />
    </Suspense>
  );
}
