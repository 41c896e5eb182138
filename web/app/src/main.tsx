// The exportwatch web app: one page whose views are chosen by the URL's
// path, each a client of the public GraphQL API.
import './style.css';
import { render } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { Lazy, Link } from './components';
import { afterSession } from './gql';
import { entityIdFrom, navigate, useLocation } from './router';
import { loadSession, signOut, useSession } from './session';
import { SearchBox } from './search';
import { EntityPage } from './views/entity';
import { Home } from './views/home';

function NotFound({ path }: { path: string }) {
  return (
    <div class="not-found">
      <h1>No such page</h1>
      <p>
        The app has no page at <code>{path}</code>.
      </p>
      <p>
        <Link href="/">Back to the search</Link>
      </p>
    </div>
  );
}

const titles: Record<string, string> = {
  '/': 'exportwatch',
  '/paths': 'Paths · exportwatch',
  '/signin': 'Sign in · exportwatch',
  '/review': 'Review · exportwatch',
  '/claims/new': 'Add a claim · exportwatch',
  '/audit': 'Audit log · exportwatch',
};

// Account is the header's sign-in link, or who is signed in and a way out.
function Account() {
  const session = useSession();
  if (!session.signedIn) {
    const here = window.location.pathname + window.location.search;
    return <Link href={'/signin' + (here === '/signin' ? '' : '?next=' + encodeURIComponent(here))}>Sign in</Link>;
  }
  return (
    <span class="account">
      {session.role === 'editor' && (
        <>
          <Link href="/review">Review</Link> <Link href="/claims/new">Add a claim</Link> <Link href="/audit">Audit log</Link>
        </>
      )}
      <span class="who">
        {session.name} ({session.role})
      </span>{' '}
      <button type="button" class="linklike" onClick={() => signOut().then(() => navigate('/'), () => undefined)}>
        Sign out
      </button>
    </span>
  );
}

function App() {
  const loc = useLocation();
  // A new page (not a change of its filters) gets its title, and the
  // focus moves to its content, as a page load would do for a reader.
  const first = useRef(true);
  useEffect(() => {
    document.title = titles[loc.path] ?? 'exportwatch';
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [loc.path]);
  const entity = entityIdFrom(loc.path);
  let view;
  if (loc.path === '/') view = <Home />;
  else if (entity) view = <EntityPage key={entity} id={entity} />;
  else if (loc.path === '/paths') view = <Lazy key={loc.path} load={() => import('./views/paths')} what="paths" props={{}} />;
  else if (loc.path === '/review') view = <Lazy key={loc.path} load={() => import('./views/review')} what="the review queues" props={{}} />;
  else if (loc.path === '/claims/new') view = <Lazy key={loc.path} load={() => import('./views/addclaim')} what="the claim form" props={{}} />;
  else if (loc.path === '/audit') view = <Lazy key={loc.path} load={() => import('./views/audit')} what="the audit log" props={{}} />;
  else if (loc.path === '/signin') view = <Lazy key={loc.path} load={() => import('./views/signin')} what="the sign-in" props={{}} />;
  else view = <NotFound path={loc.path} />;
  return (
    <>
      <a class="skip" href="#main">
        Skip to content
      </a>
      <header class="top">
        <Link href="/" class="brand">
          exportwatch
        </Link>
        {loc.path !== '/' && <SearchBox label="Search the graph" />}
        <nav class="top-nav" aria-label="Tools">
          <Link href="/paths">Paths</Link>
          <a href="/graphiql">GraphQL</a>
          <Account />
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {view}
      </main>
      <footer class="bottom">
        <p>Every link in the graph traces to claims, and every claim to a document with its quote, archived copy and hash.</p>
      </footer>
    </>
  );
}

afterSession(loadSession());
render(<App />, document.getElementById('app')!);
