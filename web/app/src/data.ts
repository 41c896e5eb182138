// useQuery runs a GraphQL query for a view and follows its variables: a
// new value aborts the request in flight, and an answer is shown only for
// the question it answers, so a slow answer to an old question never
// stands in for a new one.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, asApiError, gql } from './gql';

// The data's revision: an editor's change bumps it, and every view asks
// its question again, so a badge, an edge's status and a contested marker
// all show the change at once.
let revision = 0;
const watchers = new Set<() => void>();

export function changed() {
  revision++;
  watchers.forEach((w) => w());
}

function useRevision(): number {
  const [r, setR] = useState(revision);
  useEffect(() => {
    const w = () => setR(revision);
    watchers.add(w);
    return () => void watchers.delete(w);
  }, []);
  return r;
}

export interface QueryState<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
}

export function useQuery<T>(query: string, variables: Record<string, unknown>, skip = false): QueryState<T> {
  const rev = useRevision();
  const key = query + JSON.stringify(variables) + '@' + rev;
  // What answered which question: a view never shows the answer to the
  // previous one as if it answered this one.
  const [state, setState] = useState<{ key: string; data?: T; error?: ApiError }>({ key: '' });
  useEffect(() => {
    if (skip) return;
    const ctl = new AbortController();
    gql<T>(query, variables, ctl.signal).then(
      (data) => !ctl.signal.aborted && setState({ key, data }),
      (e: Error) => {
        if (ctl.signal.aborted || e.name === 'AbortError') return;
        setState({ key, error: asApiError(e) });
      },
    );
    return () => ctl.abort();
  }, [key, skip]);
  if (skip) return { loading: false };
  if (state.key !== key) {
    // A refresh after a change keeps showing what was there meanwhile.
    const [q, v] = [state.key.slice(0, state.key.lastIndexOf('@')), key.slice(0, key.lastIndexOf('@'))];
    if (q === v && state.data) return { data: state.data, loading: true };
    return { loading: true };
  }
  return { data: state.data, error: state.error, loading: false };
}
