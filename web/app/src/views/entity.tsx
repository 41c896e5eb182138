// The entity page, for every type: who or what it is, where it sits
// (country, owners, designations), who supplied it or whom it supplied,
// and every claim about it grouped by relation, each opening to its
// evidence.
import { useEffect, useState } from 'preact/hooks';
import { ClaimItem, Empty, EntityLink, ErrorBox, Facts, Lazy, Link, Loading, StatusBadge, TypeTag } from '../components';
import { useQuery } from '../data';
import { ApiError, asApiError, gql } from '../gql';
import { Claim, EntityRef, claimFields, claimKey, contestedKeys, countryName, dates, entityFields, relationTitles, safeHref, words } from '../model';
import { entityPath, navigate, useLocation } from '../router';
import { isEditor, useSession } from '../session';

interface Identifier {
  scheme: string;
  value: string;
}

interface EntityData {
  entity:
    | (EntityRef & {
        aliases: string[];
        description?: string | null;
        mergedIds: string[];
        identifiers: Identifier[];
        version: number;
        kind?: string | null;
        capabilities?: string[];
        exportControl?: string[];
        start?: string | null;
        end?: string | null;
        impact?: string | null;
        claims: Claim[];
      })
    | null;
}

const entityQuery = `query Entity($id: ID!) {
  entity(id: $id) {
    ${entityFields} aliases description mergedIds identifiers { scheme value } version
    ... on PublicBody { kind }
    ... on Company { capabilities }
    ... on Product { capabilities exportControl }
    ... on Incident { kind start end impact }
    claims(first: 100) { ${claimFields} }
  }
}`;

// The views of an entity, each at ?view=…: the overview is the default.
const views: [string, string][] = [
  ['overview', 'Overview'],
  ['graph', 'Graph'],
  ['timeline', 'Timeline'],
  ['brief', 'Brief and export'],
];

export function EntityPage({ id }: { id: string }) {
  const { params } = useLocation();
  const view = views.some(([v]) => v === params.get('view')) ? params.get('view')! : 'overview';
  const { data, error, loading } = useQuery<EntityData>(entityQuery, { id });
  const e = data?.entity;
  useEffect(() => {
    // A merged id resolves to the entity it was merged into: show that
    // entity's own address.
    if (e && e.id !== id) navigate(entityPath(e.id) + window.location.search, true);
  }, [e?.id, id]);
  useEffect(() => {
    document.title = e ? `${e.name} · exportwatch` : 'exportwatch';
  }, [e?.name]);

  if (loading && !data) return <Loading what="the entity" />;
  if (error) return <ErrorBox error={error} what="the entity" />;
  if (!e) {
    return (
      <div class="not-found">
        <h1>No such entity</h1>
        <p>
          Nothing in the graph has the id <code>{id}</code>. It may have been mistyped; search for it by name instead.
        </p>
        <p>
          <Link href="/">Back to the search</Link>
        </p>
      </div>
    );
  }
  return (
    <article class="entity" data-entity={e.id}>
      <header class="entity-head">
        <h1>{e.name}</h1>
        <p class="entity-meta">
          <TypeTag type={e.type} />
          {e.kind && <span class="kind">{words(e.kind)}</span>}
          {e.country && e.type !== 'Country' && (
            <span class="in-country">
              in <Link href={entityPath('country:' + e.country)}>{countryName(e.country)}</Link>
            </span>
          )}
          {e.type === 'Incident' && dates(e.start, e.end) && <span class="when">{dates(e.start, e.end)}</span>}
        </p>
        {e.description && <p class="description">{e.description}</p>}
        {e.impact && <p class="impact">Impact: {e.impact}</p>}
        <EditorTools e={e} />
        <WatchTool e={e} />
      </header>
      <nav class="tabs" aria-label="Views of this entity">
        {views.map(([v, label]) => (
          <Link key={v} href={entityPath(e.id, v === 'overview' ? undefined : { view: v })} class={v === view ? 'tab current' : 'tab'} current={v === view}>
            {label}
          </Link>
        ))}
      </nav>
      {view === 'graph' && <Lazy load={() => import('./graph')} what="the graph view" props={{ id: e.id }} />}
      {view === 'timeline' && <Lazy load={() => import('./timeline')} what="the timeline" props={{ id: e.id }} />}
      {view === 'brief' && <Lazy load={() => import('./brief')} what="briefs and exports" props={{ id: e.id }} />}
      {view === 'overview' && <Overview e={e} />}
    </article>
  );
}

// EditorTools are an editor's ways to change what the page shows: edit
// the entity, add a claim about it, see its changes. A reader sees none.
function EditorTools({ e }: { e: NonNullable<EntityData['entity']> }) {
  const session = useSession();
  const [editing, setEditing] = useState(false);
  if (!isEditor(session)) return null;
  return (
    <div class="editor-tools">
      <p class="editor-links">
        <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          Edit this entity
        </button>{' '}
        <Link href={'/claims/new?subject=' + encodeURIComponent(e.id)}>Add a claim about it</Link> · <Link href={'/audit?target=' + encodeURIComponent(e.id)}>Its changes</Link>
      </p>
      {editing && <Lazy load={() => import('./entityedit')} what="the editor" props={{ e, onDone: () => setEditing(false) }} />}
    </div>
  );
}

// WatchTool lets anyone signed in, a reader too, watch the entity (a
// country: every claim about a party in it) and gives the watch's Atom
// feed, for a feed reader.
function WatchTool({ e }: { e: NonNullable<EntityData['entity']> }) {
  const session = useSession();
  const [feed, setFeed] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  if (!session.signedIn) return null;
  const watch = async () => {
    setBusy(true);
    setError(null);
    try {
      const input = e.type === 'Country' && e.country ? { name: e.name, countries: [e.country] } : { name: e.name, entities: [e.id] };
      const r = await gql<{ createWatch: { feed: string } }>(`mutation($in: WatchInput!) { createWatch(input: $in) { feed } }`, { in: input });
      setFeed(r.createWatch.feed);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="watch-tool">
      {feed ? (
        <p role="status">
          Watching: new and changed claims {e.type === 'Country' ? 'about parties in it' : 'naming it'} appear in its{' '}
          <a href={feed}>Atom feed</a>, for a feed reader. Anyone with the feed's address can read it.
        </p>
      ) : (
        <button type="button" onClick={watch} disabled={busy}>
          {busy ? 'Watching…' : 'Watch this'}
        </button>
      )}
      {error && <ErrorBox error={error} what="the watch" />}
    </div>
  );
}

function Overview({ e }: { e: NonNullable<EntityData['entity']> }) {
  const contested = contestedKeys(e.claims);
  const groups = new Map<string, Claim[]>();
  for (const c of e.claims) {
    if (!groups.has(c.relation)) groups.set(c.relation, []);
    groups.get(c.relation)!.push(c);
  }
  const order = Object.keys(relationTitles);
  const relations = [...groups.keys()].sort((a, b) => order.indexOf(a) - order.indexOf(b));
  return (
    <>
      <section class="facts" aria-label="Names and identifiers">
        <dl>
          {e.aliases.filter((a) => a !== e.name).length > 0 && (
            <>
              <dt>Also known as</dt>
              <dd>{e.aliases.filter((a) => a !== e.name).join(' · ')}</dd>
            </>
          )}
          {e.identifiers.map((i) => (
            <>
              <dt>{schemeNames[i.scheme] ?? i.scheme}</dt>
              <dd>
                <IdentifierLink i={i} />
              </dd>
            </>
          ))}
          {e.capabilities && e.capabilities.length > 0 && (
            <>
              <dt>Capabilities</dt>
              <dd>{e.capabilities.join(', ')}</dd>
            </>
          )}
          {e.exportControl && e.exportControl.length > 0 && (
            <>
              <dt>Export control</dt>
              <dd>{e.exportControl.join(', ')}</dd>
            </>
          )}
          {e.mergedIds.length > 0 && (
            <>
              <dt>Merged ids</dt>
              <dd class="mono">{e.mergedIds.join(' · ')}</dd>
            </>
          )}
          <dt>Id</dt>
          <dd class="mono">{e.id}</dd>
        </dl>
      </section>
      {e.type === 'Company' && <Ownership id={e.id} />}
      <Designations id={e.id} />
      {(e.type === 'Country' || e.type === 'PublicBody') && <Suppliers id={e.id} />}
      {e.type === 'Company' && <Buyers id={e.id} />}
      <section class="all-claims" aria-labelledby="claims-title">
        <h2 id="claims-title">Claims</h2>
        {e.claims.length === 0 && (
          <Empty>
            No claim names <bdi>{e.name}</bdi> yet.
          </Empty>
        )}
        {e.claims.length === 100 && (
          <p class="muted">
            The first 100 claims, oldest first; the API's <code>claims(filter: {'{'}subject: "{e.id}"{'}'})</code> pages through all of them.
          </p>
        )}
        {relations.map((rel) => (
          <section class="claim-group" key={rel} aria-labelledby={`rel-${rel}`}>
            <h3 id={`rel-${rel}`}>
              {relationTitles[rel] ?? rel} <span class="count">{groups.get(rel)!.length}</span>
            </h3>
            <ul class="claims">
              {groups.get(rel)!.map((c) => (
                <ClaimItem key={c.id} c={c} contested={contested.has(claimKey(c))} about={e.id} />
              ))}
            </ul>
          </section>
        ))}
      </section>
    </>
  );
}

const schemeNames: Record<string, string> = {
  lei: 'LEI',
  cik: 'SEC CIK',
  uei: 'SAM UEI',
  registry: 'Registry number',
  wikidata: 'Wikidata',
  duns: 'DUNS',
  ogrn: 'OGRN',
  inn: 'INN',
};

// registryURL is where a person checks an identifier at its registry.
function registryURL(i: Identifier): string | undefined {
  const v = encodeURIComponent(i.value.trim());
  switch (i.scheme) {
    case 'lei':
      return `https://search.gleif.org/#/record/${v}`;
    case 'cik':
      return `https://www.sec.gov/cgi-bin/browse-edgar?action=getcompany&CIK=${v}`;
    case 'wikidata':
      return `https://www.wikidata.org/wiki/${v}`;
    case 'registry': {
      // RA000585 is Companies House's code in GLEIF's register list.
      const m = /^RA000585\/([A-Z0-9]+)$/.exec(i.value.trim());
      return m ? `https://find-and-update.company-information.service.gov.uk/company/${m[1]}` : undefined;
    }
  }
  return undefined;
}

function IdentifierLink({ i }: { i: Identifier }) {
  const href = registryURL(i);
  return href ? (
    <a href={href} rel="noopener noreferrer" target="_blank" class="mono">
      {i.value}
    </a>
  ) : (
    <span class="mono">{i.value}</span>
  );
}

interface Designation {
  authority: EntityRef;
  list?: string | null;
  program?: string | null;
  start?: string | null;
  end?: string | null;
  claim: { id: string; status: string; evidence: { document: { url: string; title?: string | null } }[] };
}

const designationsQuery = `query Designations($id: ID!) {
  designations(id: $id) { authority { ${entityFields} } list program start end claim { id status evidence { document { url title } } } }
}`;

export function Designations({ id }: { id: string }) {
  const { data, error } = useQuery<{ designations: Designation[] }>(designationsQuery, { id });
  if (error) return <ErrorBox error={error} what="designations" />;
  if (!data || data.designations.length === 0) return null;
  return (
    <section class="designations" aria-labelledby="designations-title">
      <h2 id="designations-title">Designations</h2>
      <ul>
        {data.designations.map((d) => {
          const href = safeHref(d.claim.evidence[0]?.document.url);
          return (
            <li key={d.claim.id}>
              {href ? (
                <a href={href} rel="noopener noreferrer nofollow" target="_blank">
                  {d.list ?? 'a list'}
                </a>
              ) : (
                d.list ?? 'a list'
              )}{' '}
              of <EntityLink e={d.authority} />
              {d.program && (
                <span class="program">
                  {' ('}
                  <bdi>{d.program}</bdi>)
                </span>
              )}
              {dates(d.start, d.end) && <span class="when"> · {dates(d.start, d.end)}</span>} <StatusBadge status={d.claim.status} />
            </li>
          );
        })}
      </ul>
    </section>
  );
}

interface Transfer {
  from: EntityRef;
  to: EntityRef;
  status: string;
  stance: string;
  contested: boolean;
  first?: string | null;
  last?: string | null;
  stages: string[];
  products: EntityRef[];
  claims: Claim[];
}

function transferFacts(t: Transfer): string[] {
  return [dates(t.first, t.last), t.stages.map(words).join(', '), ...t.products.map((p) => p.name)].filter(Boolean);
}

const transferFields = `from { ${entityFields} } to { ${entityFields} } status stance contested first last stages products { ${entityFields} } claims(first: 3) { ${claimFields} }`;

// Listing is one of a vendor's designations, as a transfer's note needs it.
interface Listing {
  start?: string | null;
  end?: string | null;
  list?: string | null;
  authority: { name: string };
}

const listingFields = `start end list authority { name }`;

// TransferItem is a supply seen from one side: from a buyer's page its
// supplier (side "from"), from a vendor's its buyer (side "to"). A
// supplier that was on a list at the transfer's date is said to have been.
function TransferItem({ t, side, listings = [], about }: { t: Transfer; side: 'from' | 'to'; listings?: Listing[]; about?: string }) {
  const other = side === 'from' ? t.from : t.to;
  const listed = listings.filter((d) => t.first && overlaps(d.start, d.end, t.first));
  return (
    <li class={`transfer status-${t.status}`}>
      <div class="claim-head">
        <StatusBadge status={t.status} />
        {t.contested && <span class="badge contested">contested</span>}
        {t.stance === 'denies' && <span class="badge stance-denies">denied</span>}
        <EntityLink e={other} tag />
        {side === 'from' && t.to.type !== 'Country' && (
          <span class="to-body">
            {' '}
            → <EntityLink e={t.to} />
          </span>
        )}
      </div>
      <div class="claim-facts">
        <Facts items={transferFacts(t)} />
      </div>
      {listed.map((d, i) => (
        <p class="listed-then" key={i}>
          At this transfer's date ({t.first}) <bdi>{t.from.name}</bdi> was on the <bdi>{d.list ?? 'list'}</bdi> of <bdi>{d.authority.name}</bdi>
          {d.start ? ` (listed ${dates(d.start, d.end)})` : ''}.
        </p>
      ))}
      <details class="evidence">
        <summary>Claims and evidence ({t.claims.length})</summary>
        <ul class="claims">
          {t.claims.map((c) => (
            <ClaimItem key={c.id} c={c} contested={t.contested} open about={about} />
          ))}
        </ul>
      </details>
    </li>
  );
}

const suppliersQuery = `query Suppliers($id: ID!) { suppliers(of: $id, first: 60) { ${transferFields} } }`;

// listingsOf reads the designations of many vendors, a few per request
// (each is an alias, and a request may have at most 20).
async function listingsOf(ids: string[]): Promise<Map<string, Listing[]>> {
  const out = new Map<string, Listing[]>();
  for (let i = 0; i < ids.length; i += 15) {
    const batch = ids.slice(i, i + 15);
    const q = `query Listings(${batch.map((_, k) => `$v${k}: ID!`).join(', ')}) { ${batch.map((_, k) => `d${k}: designations(id: $v${k}) { ${listingFields} }`).join(' ')} }`;
    const vars = Object.fromEntries(batch.map((id, k) => [`v${k}`, id]));
    const d = await gql<Record<string, Listing[]>>(q, vars);
    batch.forEach((id, k) => out.set(id, d[`d${k}`]));
  }
  return out;
}

export function Suppliers({ id }: { id: string }) {
  const { data, error, loading } = useQuery<{ suppliers: Transfer[] }>(suppliersQuery, { id });
  const [listings, setListings] = useState<Map<string, Listing[]>>(new Map());
  useEffect(() => {
    if (!data) return;
    let stop = false;
    const vendors = [...new Set(data.suppliers.map((t) => t.from.id))];
    // The notes are extra: without them the suppliers still stand.
    listingsOf(vendors).then(
      (m) => !stop && setListings(m),
      () => undefined,
    );
    return () => {
      stop = true;
    };
  }, [data]);
  return (
    <section class="suppliers" aria-labelledby="suppliers-title">
      <h2 id="suppliers-title">Suppliers</h2>
      {loading && !data && <Loading what="suppliers" />}
      {error && <ErrorBox error={error} what="suppliers" />}
      {data && data.suppliers.length === 0 && <Empty>No supply to it, or to a body under it, is on record.</Empty>}
      {data && data.suppliers.length > 0 && (
        <ul class="transfers">
          {data.suppliers.map((t) => (
            <TransferItem key={t.from.id + t.to.id} t={t} side="from" listings={listings.get(t.from.id)} />
          ))}
        </ul>
      )}
    </section>
  );
}

const buyersQuery = `query Buyers($id: ID!) {
  buyers(of: $id, first: 60) { ${transferFields} }
  designations(id: $id) { ${listingFields} }
}`;

// Buyers lists a vendor's transfers by the buyer's country, and says when
// the vendor was on a list at a transfer's date.
export function Buyers({ id }: { id: string }) {
  const { data, error, loading } = useQuery<{ buyers: Transfer[]; designations: Listing[] }>(buyersQuery, { id });
  if (loading && !data) return <Loading what="buyers" />;
  if (error) return <ErrorBox error={error} what="buyers" />;
  if (!data || data.buyers.length === 0) return null;
  const byCountry = new Map<string, Transfer[]>();
  for (const t of data.buyers) {
    const c = t.to.type === 'Country' ? t.to.id.replace('country:', '') : t.to.country ?? '—';
    if (!byCountry.has(c)) byCountry.set(c, []);
    byCountry.get(c)!.push(t);
  }
  return (
    <section class="buyers" aria-labelledby="buyers-title">
      <h2 id="buyers-title">Buyers, by country</h2>
      {[...byCountry.keys()].sort((a, b) => countryName(a).localeCompare(countryName(b))).map((c) => (
        <section key={c} class="buyer-country">
          <h3>{c === '—' ? 'Country unknown' : <Link href={entityPath('country:' + c)}>{countryName(c)}</Link>}</h3>
          <ul class="transfers">
            {byCountry.get(c)!.map((t) => (
              <TransferItem key={t.to.id} t={t} side="to" listings={data.designations} about={id} />
            ))}
          </ul>
        </section>
      ))}
    </section>
  );
}

// overlaps says whether a listing [start, end] covers part of a date that
// may be partial ("2021"): a partial start counts from its first day, a
// partial end to its last, as the API reads them.
export function overlaps(start: string | null | undefined, end: string | null | undefined, day: string): boolean {
  const first = (d: string) => (d + '-01-01').slice(0, 10);
  const last = (d: string) => (d.length === 4 ? d + '-12-31' : d.length === 7 ? d + '-31' : d);
  if (start && last(day) < first(start)) return false;
  if (end && first(day) > last(end)) return false;
  return Boolean(start || end);
}

interface ParentClaims {
  entity: { id: string; claims: Claim[] } | null;
}

const parentsQuery = `query Parents($id: ID!) {
  entity(id: $id) { id claims(relation: [OWNS, SUBSIDIARY_OF, ACQUIRED_BY], first: 20) { ${claimFields} } }
}`;

// parentOf is the owner the latest asserting claim gives an entity.
function parentOf(id: string, claims: Claim[]): { parent: EntityRef; claim: Claim } | null {
  const live = claims
    .filter((c) => c.stance === 'asserts' && c.status !== 'retracted' && c.status !== 'disputed')
    .map((c) => {
      if ((c.relation === 'SUBSIDIARY_OF' || c.relation === 'ACQUIRED_BY') && c.subject.id === id) return { parent: c.object, claim: c };
      if (c.relation === 'OWNS' && c.object.id === id) return { parent: c.subject, claim: c };
      return null;
    })
    .filter((x): x is { parent: EntityRef; claim: Claim } => x !== null && x.claim.end == null);
  live.sort((a, b) => (b.claim.start ?? '').localeCompare(a.claim.start ?? ''));
  return live[0] ?? null;
}

// Ownership walks up from a company to its ultimate owner, one level per
// request, at most six levels, never round a cycle.
function Ownership({ id }: { id: string }) {
  const [chain, setChain] = useState<{ parent: EntityRef; claim: Claim }[] | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    (async () => {
      const out: { parent: EntityRef; claim: Claim }[] = [];
      const seen = new Set([id]);
      let at = id;
      try {
        for (let level = 0; level < 6; level++) {
          const d = await gql<ParentClaims>(parentsQuery, { id: at });
          const up = d.entity && parentOf(d.entity.id, d.entity.claims);
          if (!up || seen.has(up.parent.id)) break;
          out.push(up);
          seen.add(up.parent.id);
          at = up.parent.id;
        }
        if (!stop) setChain(out);
      } catch (e) {
        if (!stop) setFailed((e as Error).message);
      }
    })();
    return () => {
      stop = true;
    };
  }, [id]);
  if (failed) return <p class="state error">Could not trace the owners: {failed}</p>;
  if (!chain || chain.length === 0) return null;
  return (
    <section class="ownership" aria-labelledby="ownership-title">
      <h2 id="ownership-title">Ownership</h2>
      <ol class="chain">
        {chain.map((step, i) => (
          <li key={step.parent.id}>
            <span class="via">{step.claim.relation === 'ACQUIRED_BY' ? 'acquired by' : 'owned by'}</span> <EntityLink e={step.parent} tag />
            {step.claim.start && <span class="when"> since {step.claim.start}</span>} <StatusBadge status={step.claim.status} />
            {i === chain.length - 1 && <span class="ultimate">ultimate owner on record</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
