// Paths between two entities, each chosen with type-ahead: the shortest
// routes over the direct links, at most a number of hops long, over the
// chosen relations and links at least as strong as a status. Each hop
// shows its claims and quotes. The question lives in the URL.
import { ClaimItem, Empty, EntityLink, ErrorBox, Loading, MinStatusFilter, RelationFilter, StatusBadge } from '../components';
import { useQuery } from '../data';
import { Claim, EntityRef, claimFields, entityFields, relationTitles, relationWords, statuses } from '../model';
import { setParams, useLocation } from '../router';
import { SearchBox } from '../search';

interface Hop {
  relation: string;
  from: EntityRef;
  to: EntityRef;
  status: string;
  contested: boolean;
  claims: Claim[];
}

interface Path {
  nodes: EntityRef[];
  hops: Hop[];
}

const pathsQuery = `query Paths($from: ID!, $to: ID!, $hops: Int!, $relations: [Relation!], $min: Status) {
  paths(from: $from, to: $to, maxHops: $hops, relations: $relations, minStatus: $min) {
    nodes { ${entityFields} }
    hops { relation status contested from { ${entityFields} } to { ${entityFields} } claims(first: 5) { ${claimFields} } }
  }
}`;

const namesQuery = `query Ends($from: ID!, $to: ID!) { from: entity(id: $from) { ${entityFields} } to: entity(id: $to) { ${entityFields} } }`;

const relations = Object.keys(relationTitles);

export default function PathsView() {
  const { params } = useLocation();
  const from = params.get('from') ?? '';
  const to = params.get('to') ?? '';
  const hops = Math.min(6, Math.max(1, Number(params.get('hops') ?? 4) || 4));
  const rels = (params.get('rel') ?? '').split(',').filter((r) => relations.includes(r));
  const min = statuses.includes(params.get('min') ?? '') ? params.get('min')! : '';
  const ready = from !== '' && to !== '';
  const ends = useQuery<{ from: EntityRef | null; to: EntityRef | null }>(namesQuery, { from, to }, !ready);
  const paths = useQuery<{ paths: Path[] }>(pathsQuery, { from, to, hops, relations: rels.length ? rels : null, min: min || null }, !ready);
  return (
    <div class="paths">
      <h1>Paths between two entities</h1>
      <form class="paths-form" onSubmit={(e) => e.preventDefault()}>
        <div class="picker">
          <SearchBox label="From" visibleLabel chosen={ends.data?.from?.name ?? (from || undefined)} onChoose={(e) => setParams({ from: e.id })} />
          {ends.data?.from && (
            <p class="chosen">
              From: <EntityLink e={ends.data.from} tag />
            </p>
          )}
        </div>
        <div class="picker">
          <SearchBox label="To" visibleLabel chosen={ends.data?.to?.name ?? (to || undefined)} onChoose={(e) => setParams({ to: e.id })} />
          {ends.data?.to && (
            <p class="chosen">
              To: <EntityLink e={ends.data.to} tag />
            </p>
          )}
        </div>
        <div class="path-options">
          <label>
            At most{' '}
            <select value={String(hops)} onChange={(e) => setParams({ hops: (e.target as HTMLSelectElement).value })}>
              {[1, 2, 3, 4, 5, 6].map((n) => (
                <option key={n} value={String(n)}>
                  {n} {n === 1 ? 'hop' : 'hops'}
                </option>
              ))}
            </select>
          </label>
          <MinStatusFilter label="Links at least" min={min} />
        </div>
        <RelationFilter legend="Over the relations" rels={rels} />
      </form>
      {!ready && <Empty>Choose the two entities to link.</Empty>}
      {ready && paths.loading && <Loading what="the paths" />}
      {ready && paths.error && <ErrorBox error={paths.error} what="the paths" />}
      {ready && paths.data && paths.data.paths.length === 0 && <Empty>No route of at most {hops} hops links them over these links.</Empty>}
      {paths.data && paths.data.paths.length > 0 && (
        <ol class="path-list">
          {paths.data.paths.map((p, i) => (
            <li key={i} class="path">
              <h2>
                Path {i + 1}: {p.hops.length} {p.hops.length === 1 ? 'hop' : 'hops'}
              </h2>
              <p class="path-line">
                {p.nodes.map((n, k) => (
                  <span key={n.id}>
                    {k > 0 && <span class="arrow"> → </span>}
                    <EntityLink e={n} />
                  </span>
                ))}
              </p>
              <ol class="hops">
                {p.hops.map((h, k) => (
                  <li key={k} class="hop">
                    <div class="claim-head">
                      <StatusBadge status={h.status} />
                      {h.contested && <span class="badge contested">contested</span>}
                      <EntityLink e={h.from} /> <span class="relation">{relationWords[h.relation] ?? h.relation}</span> <EntityLink e={h.to} />
                    </div>
                    <ul class="claims">
                      {h.claims.map((c) => (
                        <ClaimItem key={c.id} c={c} contested={h.contested} />
                      ))}
                    </ul>
                  </li>
                ))}
              </ol>
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
