// Home: the way in. A search box, a map of who supplied where, what the
// graph holds, and the newest claims and documents.
import { ClaimItem, Empty, ErrorBox, Lazy, Loading } from '../components';
import { useQuery } from '../data';
import { Claim, Doc, claimFields, contestedKeys, claimKey, relationTitles, safeHref, typeWords } from '../model';
import { SearchBox } from '../search';

interface Count {
  name: string;
  count: number;
}

interface HomeData {
  stats: { entities: number; claims: number; documents: number; byType: Count[]; byRelation: Count[]; vendorsByCountry: Count[] };
  claims: { nodes: Claim[] };
  documents: { nodes: Doc[] };
}

const homeQuery = `query Home {
  stats { entities claims documents byType { name count } byRelation { name count } vendorsByCountry { name count } }
  claims(first: 8, orderBy: START_DESC, filter: { relations: [SUPPLIED, DESIGNATED, ACQUIRED_BY, OWNS] }) { nodes { ${claimFields} } }
  documents(first: 8) { nodes { id url title publisher published retrieved origin } }
}`;

export function Home() {
  const { data, error, loading } = useQuery<HomeData>(homeQuery, {});
  const contested = data ? contestedKeys(data.claims.nodes) : new Set<string>();
  return (
    <div class="home">
      <section class="hero">
        <h1>Who sold surveillance technology to whom</h1>
        <p class="lede">Vendors, the state bodies they supplied, their owners and the incidents their equipment served, with the evidence for every link.</p>
        <SearchBox autofocus label="Search vendors, public bodies, countries and products" />
      </section>
      {loading && !data && <Loading what="the graph's figures" />}
      {error && <ErrorBox error={error} what="the graph's figures" />}
      {data && (
        <>
          <section class="map" aria-labelledby="map-title">
            <h2 id="map-title">Who supplied where</h2>
            <Lazy load={() => import('./map')} what="the map" props={{ counts: data.stats.vendorsByCountry }} />
          </section>
          <section class="holds" aria-labelledby="holds-title">
            <h2 id="holds-title">What the graph holds</h2>
            <p class="totals">
              <span>
                <strong>{data.stats.entities.toLocaleString('en')}</strong> entities
              </span>
              <span>
                <strong>{data.stats.claims.toLocaleString('en')}</strong> claims
              </span>
              <span>
                <strong>{data.stats.documents.toLocaleString('en')}</strong> documents
              </span>
            </p>
            <div class="count-tables">
              <table class="counts">
                <caption>Entities by type</caption>
                <tbody>
                  {data.stats.byType.filter((c) => c.count > 0).map((c) => (
                    <tr key={c.name}>
                      <th scope="row">{typeWords[c.name] ?? c.name}</th>
                      <td>{c.count.toLocaleString('en')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <table class="counts">
                <caption>Links by relation</caption>
                <tbody>
                  {data.stats.byRelation.filter((c) => c.count > 0).map((c) => (
                    <tr key={c.name}>
                      <th scope="row">{relationTitles[c.name] ?? c.name}</th>
                      <td>{c.count.toLocaleString('en')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section class="latest" aria-labelledby="latest-title">
            <h2 id="latest-title">Latest supplies, designations and ownership</h2>
            {data.claims.nodes.length === 0 ? (
              <Empty>The graph holds no claims yet. Load the seed with <code>exportwatch seed</code>.</Empty>
            ) : (
              <ul class="claims">
                {data.claims.nodes.map((c) => (
                  <ClaimItem key={c.id} c={c} contested={contested.has(claimKey(c))} />
                ))}
              </ul>
            )}
          </section>
          <section class="documents" aria-labelledby="documents-title">
            <h2 id="documents-title">Latest documents</h2>
            <ul class="doc-list">
              {data.documents.nodes.map((d) => {
                const href = safeHref(d.url);
                return (
                  <li key={d.id}>
                    {href ? (
                      <a href={href} rel="noopener noreferrer nofollow" target="_blank">
                        {d.title || d.url}
                      </a>
                    ) : (
                      <span>{d.title || d.url}</span>
                    )}
                    <span class="muted">
                      {d.publisher && (
                        <>
                          {' — '}
                          <bdi>{d.publisher}</bdi>
                        </>
                      )}
                      {d.published ? `, ${d.published}` : d.retrieved ? `, retrieved ${d.retrieved.slice(0, 10)}` : ''}
                    </span>
                  </li>
                );
              })}
            </ul>
          </section>
        </>
      )}
    </div>
  );
}
