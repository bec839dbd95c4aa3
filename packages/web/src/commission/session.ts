import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import { API, getJson, send, type Sent } from '../api/client.js';
import { SessionSchema, type Session } from '../api/schemas.js';
import { z } from 'zod';

/**
 * The browser session: an HttpOnly cookie the page never sees, and the CSRF token the page sends back as
 * X-CSRF-Token on every write. Kept for the life of the page; `GET /session` recovers it after a reload.
 */
let known: Session | null | undefined;

export function useSessionState(): {
  session: Session | null | undefined;
  signIn: (name: string, password: string) => Promise<Sent<Session>>;
  signOut: () => Promise<void>;
} {
  const [session, setSession] = useState<Session | null | undefined>(known);
  useEffect(() => {
    if (known !== undefined) return;
    let active = true;
    getJson(`${API}/session`, SessionSchema, true).then(
      (s) => {
        known = s;
        if (active) setSession(s);
      },
      () => {
        // 401: not signed in (any other failure also leaves the visitor at the sign-in form, which reports it).
        known = null;
        if (active) setSession(null);
      },
    );
    return () => {
      active = false;
    };
  }, []);
  return {
    session,
    async signIn(name, password) {
      const result = await send('POST', `${API}/session`, { name, password }, null, SessionSchema);
      if (result.ok) {
        known = result.value;
        setSession(result.value);
      }
      return result;
    },
    async signOut() {
      await send('DELETE', `${API}/session`, undefined, known?.csrfToken ?? null, z.unknown());
      known = null;
      setSession(null);
    },
  };
}

export interface SignedIn {
  readonly session: Session;
  readonly signOut: () => Promise<void>;
}

export const SessionContext = createContext<SignedIn | undefined>(undefined);

export function useSession(): SignedIn {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession() outside the signed-in commission screens');
  return value;
}
