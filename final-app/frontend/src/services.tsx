// What the pages use, given once at the top: the API client, sign-in and live events. main.tsx builds the
// real ones; component tests give fakes.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { ApiClient } from './api/api-client';
import type { Auth, Session } from './auth/auth';
import type { ImageEvents } from './live/image-events';

export interface Services {
  api: ApiClient;
  auth: Auth;
  events: ImageEvents;
  /** The course docs, when the dev server serves them. */
  docsUrl?: string;
}

const ServicesContext = createContext<Services | null>(null);

interface SessionState {
  /** undefined while the stored session is being read. */
  session: Session | null | undefined;
  setSession: (session: Session | null) => void;
  signIn: () => Promise<void>;
  signOut: () => Promise<void>;
  /** The last sign-in or sign-out failure, for the header to show. */
  error?: string;
}

const SessionContext = createContext<SessionState | null>(null);

export function ServicesProvider({ services, children }: { services: Services; children: ReactNode }) {
  const [session, setSession] = useState<Session | null | undefined>(undefined);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    let active = true;
    // A sign-in completed meanwhile (on /callback) is newer than what storage held when this started.
    const settle = (stored: Session | undefined) => {
      if (active) setSession((current) => (current === undefined ? (stored ?? null) : current));
    };
    services.auth.session().then(settle, () => settle(undefined));
    return () => {
      active = false;
    };
  }, [services.auth]);
  const signIn = useCallback(async () => {
    setError(undefined);
    try {
      await services.auth.signIn(`${window.location.pathname}${window.location.search}`);
    } catch (failure) {
      setError(`Could not reach the sign-in service: ${(failure as Error).message}. Try again.`);
    }
  }, [services.auth]);
  const signOut = useCallback(async () => {
    setError(undefined);
    try {
      await services.auth.signOut();
      setSession(null);
    } catch (failure) {
      setSession(null);
      setError(
        `You are signed out here, but the sign-in service could not be told: ${(failure as Error).message}.`,
      );
    }
  }, [services.auth]);
  const state = useMemo(
    () => ({ session, setSession, signIn, signOut, error }),
    [session, signIn, signOut, error],
  );
  return (
    <ServicesContext.Provider value={services}>
      <SessionContext.Provider value={state}>{children}</SessionContext.Provider>
    </ServicesContext.Provider>
  );
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices() needs a <ServicesProvider> above it');
  return services;
}

export function useSession(): SessionState {
  const state = useContext(SessionContext);
  if (!state) throw new Error('useSession() needs a <ServicesProvider> above it');
  return state;
}
