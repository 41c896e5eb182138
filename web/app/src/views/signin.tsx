// Sign-in: an API key is exchanged once for a session; the key is not kept
// by the page. Editors then see the review controls on every claim.
import { useState } from 'preact/hooks';
import { Link } from '../components';
import { navigate, useLocation } from '../router';
import { signIn, useSession } from '../session';

export default function SignIn() {
  const { params } = useLocation();
  const session = useSession();
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Only a path of this app: a link cannot send a person elsewhere.
  const next = (params.get('next') ?? '/').startsWith('/') && !(params.get('next') ?? '').startsWith('//') ? params.get('next') ?? '/' : '/';
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(key.trim());
      setKey('');
      navigate(next);
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="signin">
      <h1>Sign in</h1>
      {session.signedIn && (
        <p>
          Signed in as <strong>{session.name}</strong> ({session.role}). <Link href={next}>Go on</Link>
        </p>
      )}
      <p class="muted">Editors review claims and decide what the extractors suggest. Your API key is checked once and exchanged for a session that ends after eight hours or when you sign out; the page does not keep the key.</p>
      <form class="signin-form" onSubmit={submit}>
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autocomplete="off"
          required
          value={key}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'api-key-error' : undefined}
          onInput={(e) => setKey((e.target as HTMLInputElement).value)}
        />
        {error && (
          <p id="api-key-error" class="field-error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || key.trim() === ''}>
          Sign in
        </button>
      </form>
    </div>
  );
}
