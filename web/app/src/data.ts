// useQuery runs a GraphQL query for a view and follows its variables: a
// new value aborts the request in flight, so a slow answer to an old
// question never overwrites a new one.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, gql } from './gql';

export interface QueryState<T> {
  data?: T;
  error?: ApiError;
  loading: boolean;
}

export function useQuery<T>(query: string, variables: Record<string, unknown>, skip = false): QueryState<T> {
  const key = JSON.stringify(variables);
  const [state, setState] = useState<QueryState<T>>({ loading: !skip });
  useEffect(() => {
    if (skip) {
      setState({ loading: false });
      return;
    }
    const ctl = new AbortController();
    setState((s) => ({ data: s.data, loading: true }));
    gql<T>(query, variables, ctl.signal).then(
      (data) => setState({ data, loading: false }),
      (e: Error) => {
        if (e.name === 'AbortError') return;
        setState({ loading: false, error: e instanceof ApiError ? e : new ApiError('INTERNAL', e.message) });
      },
    );
    return () => ctl.abort();
  }, [query, key, skip]);
  return state;
}
