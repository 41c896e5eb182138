// Every view's state lives in its URL (path and query), so reloading a
// page or sending its link shows the same thing. Views read the location
// with useLocation and change it with navigate or setParams.
import { useEffect, useState } from 'preact/hooks';

export interface Loc {
  path: string;
  params: URLSearchParams;
}

const listeners = new Set<() => void>();

function current(): Loc {
  return { path: window.location.pathname, params: new URLSearchParams(window.location.search) };
}

export function navigate(href: string, replace = false) {
  if (href === window.location.pathname + window.location.search) return;
  if (replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  listeners.forEach((l) => l());
  if (!replace) window.scrollTo(0, 0);
}

window.addEventListener('popstate', () => listeners.forEach((l) => l()));

export function useLocation(): Loc {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const l = () => setLoc(current());
    listeners.add(l);
    return () => void listeners.delete(l);
  }, []);
  return loc;
}

// setParams changes some of the query's parameters, dropping those set to
// '' or null, and replaces the history entry (a filter is not a page).
export function setParams(changes: Record<string, string | number | null>) {
  const p = new URLSearchParams(window.location.search);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === '') p.delete(k);
    else p.set(k, String(v));
  }
  const q = p.toString();
  navigate(window.location.pathname + (q ? '?' + q : ''), true);
}

// entityPath is the app's address of an entity: ids such as
// "company/sandvine" and "country:AZ" keep their readable form.
export function entityPath(id: string, params?: Record<string, string>): string {
  const path = '/entity/' + id.split('/').map(encodeURIComponent).join('/').replace(/%3A/g, ':');
  const q = params ? new URLSearchParams(params).toString() : '';
  return path + (q ? '?' + q : '');
}

export function entityIdFrom(path: string): string | null {
  if (!path.startsWith('/entity/')) return null;
  const rest = path.slice('/entity/'.length);
  if (!rest) return null;
  try {
    return rest.split('/').map(decodeURIComponent).join('/');
  } catch {
    return null;
  }
}
