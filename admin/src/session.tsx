/**
 * The signed-in user (GET /api/v1/auth/me), the site being worked on, and logging out.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiError, api, setCsrfToken } from './api';
import { type Abilities, abilitiesOf, siteIdsOf } from './lib/access';
import type { Me, Page, Site } from './types';

export const ME_KEY = ['me'] as const;

/** Where a visitor without a finished login is sent, keeping the address asked for (inside the console). */
export function loginAddress(from: string): string {
  return from === '/' || from.startsWith('/login') ? '/login' : `/login?from=${encodeURIComponent(from)}`;
}

/** The session's user, or null when there is no session (the API answers 401 then). */
export async function fetchMe(): Promise<Me | null> {
  let me: Me | null;
  try {
    me = await api.get<Me | null>('/auth/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) me = null;
    else throw e;
  }
  setCsrfToken(me?.csrfToken ?? null);
  return me;
}

export function useMeQuery() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: Infinity, meta: { silent: false } });
}

/** Which second-factor step the login answered ('verify' or 'enrol'), kept for a reload. */
const MFA_MODE_KEY = 'jiyue.mfaMode';
export const mfaMode = {
  get: (): 'verify' | 'enrol' => (sessionStorage.getItem(MFA_MODE_KEY) === 'enrol' ? 'enrol' : 'verify'),
  set: (m: 'none' | 'verify' | 'enrol') => (m === 'none' ? sessionStorage.removeItem(MFA_MODE_KEY) : sessionStorage.setItem(MFA_MODE_KEY, m)),
};

/** The next step a signed-in session must take before the console opens, or null. */
export function pendingStep(me: Me): 'verify' | 'password' | 'enrol' | null {
  if (me.mfaPending && mfaMode.get() === 'verify') return 'verify';
  if (me.mustChangePassword) return 'password';
  if (me.mfaPending) return 'enrol';
  return null;
}

export function useLogout(): () => Promise<void> {
  const qc = useQueryClient();
  return useCallback(async () => {
    try {
      await api.post('/auth/logout');
    } catch {
      // Already signed out (or the server is unreachable): this browser forgets the session anyway.
    } finally {
      setCsrfToken(null);
      mfaMode.set('none');
      // Everyone watching "who am I?" sees the logout; every other answer belonged to that user.
      qc.setQueryData(ME_KEY, null);
      qc.removeQueries({ predicate: (q) => q.queryKey[0] !== ME_KEY[0] });
    }
  }, [qc]);
}

// ---------------------------------------------------------------------------------------------

interface SessionValue {
  me: Me;
  can: Abilities;
  /** Sites this user works on, in the cluster's order. */
  sites: Site[];
  siteId: number | null;
  site: Site | null;
  setSiteId: (id: number) => void;
}

const SessionContext = createContext<SessionValue | null>(null);
const SITE_KEY = 'jiyue.site';

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

export function useSites(me: Me) {
  const ids = siteIdsOf(me);
  return useQuery({
    queryKey: ['sites', 'mine', me.id],
    enabled: ids === 'all' || ids.length > 0,
    queryFn: async () => {
      const page = await api.get<Page<Site>>('/sites', { pageSize: 100 });
      return ids === 'all' ? page.items : page.items.filter((s) => ids.includes(s.id));
    },
    staleTime: 5 * 60_000,
  });
}

export function SessionProvider({ me, children }: { me: Me; children: ReactNode }) {
  const sitesQuery = useSites(me);
  const sites = useMemo(() => sitesQuery.data ?? [], [sitesQuery.data]);
  const [chosen, setChosen] = useState<number | null>(() => {
    const v = Number(localStorage.getItem(`${SITE_KEY}.${me.id}`));
    return Number.isInteger(v) && v > 0 ? v : null;
  });
  const siteId = sites.some((s) => s.id === chosen) ? chosen : (sites[0]?.id ?? null);
  useEffect(() => {
    if (siteId !== null) localStorage.setItem(`${SITE_KEY}.${me.id}`, String(siteId));
  }, [siteId, me.id]);
  const value = useMemo<SessionValue>(
    () => ({ me, can: abilitiesOf(me), sites, siteId, site: sites.find((s) => s.id === siteId) ?? null, setSiteId: setChosen }),
    [me, sites, siteId],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}
