import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api';
import { errorText, notify } from './notify';

/** Errors that must not be shown as a toast: the session ended (the login screen follows). */
const quiet = (err: unknown) => err instanceof ApiError && err.status === 401 && err.code === 'unauthenticated';

export const queryClient = new QueryClient({
  queryCache: new QueryCache({
    onError: (err, query) => {
      if (quiet(err) || query.meta?.silent) return;
      notify.error(errorText(err));
    },
  }),
  mutationCache: new MutationCache({
    onError: (err, _v, _c, mutation) => {
      if (quiet(err) || mutation.meta?.silent) return;
      notify.error(errorText(err));
    },
  }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // A refusal or a missing thing will not change by asking again.
      retry: (count, err) => !(err instanceof ApiError && err.status >= 400 && err.status < 500) && count < 2,
    },
    mutations: { retry: false },
  },
});
