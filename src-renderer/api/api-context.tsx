import { createContext, useContext, type ReactNode } from 'react';
import type { ApiCall } from './client';

const ApiContext = createContext<ApiCall | undefined>(undefined);

/** Makes an API client available to the views (a fake one in tests). */
export function ApiProvider({ call, children }: { call: ApiCall; children: ReactNode }) {
  return <ApiContext.Provider value={call}>{children}</ApiContext.Provider>;
}

/** The API client of the nearest ApiProvider. */
export function useApi(): ApiCall {
  const call = useContext(ApiContext);
  if (call === undefined) throw new Error('useApi() needs an <ApiProvider> above it.');
  return call;
}
