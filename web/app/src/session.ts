// Who the browser is signed in as. Signing in exchanges an API key for a
// session cookie the page cannot read (HttpOnly); the page keeps only the
// session's CSRF token, which every request but a GET must carry.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, onSessionEnded, setCsrf } from './gql';

export interface Session {
  signedIn: boolean;
  name?: string;
  role?: string;
  csrf?: string;
  expires?: string;
}

let current: Session = { signedIn: false };
const listeners = new Set<() => void>();

function set(s: Session) {
  current = s;
  setCsrf(s.csrf ?? '');
  listeners.forEach((l) => l());
}

onSessionEnded(() => set({ signedIn: false }));

async function call(method: string, body?: unknown): Promise<Session> {
  const resp = await fetch('/session', {
    method,
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', ...(current.csrf ? { 'X-CSRF-Token': current.csrf } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const out = await resp.json().catch(() => ({}));
  if (!resp.ok) {
    const e = out?.errors?.[0];
    throw new ApiError(e?.extensions?.code ?? 'INTERNAL', e?.message ?? `The server answered ${resp.status}.`);
  }
  return out as Session;
}

// loadSession asks the server who this browser is, once, when the app
// starts.
export async function loadSession() {
  try {
    set(await call('GET'));
  } catch {
    set({ signedIn: false });
  }
}

export async function signIn(key: string) {
  set(await call('POST', { key }));
}

export async function signOut() {
  await call('DELETE');
  set({ signedIn: false });
}

export function useSession(): Session {
  const [s, setS] = useState(current);
  useEffect(() => {
    const l = () => setS(current);
    listeners.add(l);
    setS(current);
    return () => void listeners.delete(l);
  }, []);
  return s;
}

export const isEditor = (s: Session) => s.signedIn && s.role === 'editor';
