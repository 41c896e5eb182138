// The exportwatch web app: one page whose views are chosen by the URL's
// path, each a client of the public GraphQL API.
import './style.css';
import { render } from 'preact';
import { Link } from './components';
import { entityIdFrom, useLocation } from './router';
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

function App() {
  const loc = useLocation();
  const entity = entityIdFrom(loc.path);
  let view;
  if (loc.path === '/') view = <Home />;
  else if (entity) view = <EntityPage key={entity} id={entity} />;
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
          <a href="/graphiql">GraphQL</a>
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

render(<App />, document.getElementById('app')!);
