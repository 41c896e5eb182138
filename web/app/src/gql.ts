// The app's only way to the data: the public GraphQL API at /graphql, as
// any API consumer calls it. Errors keep the API's code (NOT_FOUND,
// BAD_INPUT, UNAVAILABLE, …) so views can say what went wrong.

import { isolateAll } from './bidi';

export class ApiError extends Error {
  // extensions are the first error's: field names the input at fault
  // ("input.evidence.0.quote"), fields every field's problem, and a
  // mutation may add what helps fix it (closest, current).
  constructor(
    public code: string,
    message: string,
    public extensions: Record<string, unknown> = {},
  ) {
    super(message);
  }

  // forField is the problem with one input field, if the server named it.
  forField(field: string): string | null {
    const fields = this.extensions.fields as Record<string, string> | undefined;
    if (fields && fields[field]) return fields[field];
    return this.extensions.field === field ? this.message : null;
  }
}

// asApiError is any error a request threw, as an ApiError.
export function asApiError(e: unknown): ApiError {
  return e instanceof ApiError ? e : new ApiError('INTERNAL', (e as Error).message);
}

const endpoint = '/graphql';

// The signed-in session's CSRF token (session.ts sets it), sent with
// every request; and who to tell when the server says the session ended.
let csrf = '';
let ended: () => void = () => {};

export function setCsrf(token: string) {
  csrf = token;
}

export function onSessionEnded(fn: () => void) {
  ended = fn;
}

// Requests wait until the page knows its session (and so its CSRF token):
// a signed-in browser's first requests would otherwise go without it.
let ready: Promise<unknown> = Promise.resolve();

export function afterSession(loading: Promise<unknown>) {
  ready = loading.catch(() => undefined);
}

export async function gql<T>(query: string, variables: Record<string, unknown> = {}, signal?: AbortSignal): Promise<T> {
  await ready;
  let resp: Response;
  try {
    resp = await fetch(endpoint, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', ...(csrf ? { 'X-CSRF-Token': csrf } : {}) },
      body: JSON.stringify({ query, variables }),
      signal,
      credentials: 'same-origin',
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError('NETWORK', 'The server cannot be reached. Check that exportwatch is running, then try again.');
  }
  let body: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> & { code?: string } }[] };
  try {
    body = await resp.json();
  } catch (e) {
    // Cancelled while the body was read: an abort, not a bad answer.
    if (signal?.aborted) throw e;
    throw new ApiError('INTERNAL', `The server answered ${resp.status} without a readable body.`);
  }
  if (body.errors && body.errors.length > 0) {
    const first = body.errors[0];
    if (resp.status === 401 && csrf) ended();
    throw new ApiError(first.extensions?.code ?? 'INTERNAL', first.message, first.extensions ?? {});
  }
  if (!resp.ok || !body.data) {
    throw new ApiError('INTERNAL', `The server answered ${resp.status}.`);
  }
  return isolateAll(body.data);
}
