// The graph view of an entity's neighbourhood, drawn with cytoscape.js:
// nodes shaped and coloured by type, edges styled by status (dashed
// reported, solid documented, heavy confirmed, red when contested or
// disputed). A node opens or expands; an edge opens its claims and quotes.
// Depth, relations, minimum status, dates and the expanded nodes live in
// the URL, so a reload or a shared link shows the same graph.
//
// This module is loaded only when the graph view is opened: cytoscape is
// most of the app's weight.
import cytoscape from 'cytoscape';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ClaimItem, Empty, EntityLink, ErrorBox, Link, Loading, MinStatusFilter, RelationFilter } from '../components';
import { useQuery } from '../data';
import { ApiError, asApiError, gql } from '../gql';
import { Claim, EntityRef, claimFields, claimKey, contestedKeys, entityFields, relationTitles, relationWords, statuses, typeWords } from '../model';
import { entityPath, setParams, useLocation } from '../router';

interface Edge {
  relation: string;
  from: { id: string };
  to: { id: string };
  status: string;
  stance: string;
  contested: boolean;
  first?: string | null;
  last?: string | null;
}

interface Subgraph {
  nodes: EntityRef[];
  edges: Edge[];
}

const neighbourhoodQuery = `query Neighbourhood($id: ID!, $depth: Int!, $limit: Int!, $relations: [Relation!]) {
  neighbourhood(id: $id, depth: $depth, limit: $limit, relations: $relations) {
    nodes { ${entityFields} }
    edges { relation from { id } to { id } status stance contested first last }
  }
}`;

const relations = Object.keys(relationTitles);

// rank orders statuses for the minimum-status filter, as the API does.
const rank: Record<string, number> = { confirmed: 3, documented: 2, reported: 1, disputed: 0, retracted: -1 };

export const typeShapes: Record<string, [string, string]> = {
  Company: ['round-rectangle', '#0b5cad'],
  PublicBody: ['diamond', '#8a3ffc'],
  Person: ['ellipse', '#b45309'],
  Product: ['hexagon', '#0f766e'],
  Country: ['octagon', '#4b5563'],
  Incident: ['triangle', '#b91c1c'],
};

const edgeId = (e: Edge) => `${e.from.id}|${e.relation}|${e.to.id}`;

// overlap says whether an edge's dates [first, last] meet [from, to];
// an edge without dates meets every range.
function overlap(e: Edge, from: string, to: string): boolean {
  if (from && (e.last ?? e.first ?? '9999') < from) return false;
  if (to && (e.first ?? '0000') > to + '-99') return false;
  return true;
}

export default function GraphView({ id }: { id: string }) {
  const { params } = useLocation();
  const depth = Math.min(3, Math.max(1, Number(params.get('depth') ?? 1) || 1));
  const limit = Math.min(500, Math.max(10, Number(params.get('limit') ?? 150) || 150));
  const rels = (params.get('rel') ?? '').split(',').filter((r) => relations.includes(r));
  const min = statuses.includes(params.get('min') ?? '') ? params.get('min')! : '';
  const isDate = (d: string) => /^\d{4}(-\d{2}(-\d{2})?)?$/.test(d);
  const rawFrom = params.get('from') ?? '';
  const rawTo = params.get('to') ?? '';
  const from = isDate(rawFrom) ? rawFrom : '';
  const to = isDate(rawTo) ? rawTo : '';
  const expanded = (params.get('expand') ?? '').split(',').filter(Boolean);
  const selected = params.get('sel') ?? '';

  const vars = { id, depth, limit, relations: rels.length ? rels : null };
  const base = useQuery<{ neighbourhood: Subgraph }>(neighbourhoodQuery, vars);
  const [extra, setExtra] = useState<Map<string, Subgraph>>(new Map());
  const [expandError, setExpandError] = useState<ApiError | null>(null);

  // Expanded nodes' neighbourhoods, fetched once each for the relations
  // chosen: a change of relations fetches them again.
  const relKey = rels.join(',');
  useEffect(() => {
    const ctl = new AbortController();
    setExpandError(null);
    for (const x of expanded) {
      if (extra.has(x + '|' + relKey)) continue;
      gql<{ neighbourhood: Subgraph }>(neighbourhoodQuery, { id: x, depth: 1, limit: 100, relations: vars.relations }, ctl.signal).then(
        (d) => setExtra((m) => new Map(m).set(x + '|' + relKey, d.neighbourhood)),
        (e: Error) => {
          if (!ctl.signal.aborted && e.name !== 'AbortError') setExpandError(asApiError(e));
        },
      );
    }
    return () => ctl.abort();
  }, [expanded.join(','), relKey]);

  const graph = useMemo(() => {
    const nodes = new Map<string, EntityRef>();
    const edges = new Map<string, Edge>();
    const add = (g: Subgraph) => {
      g.nodes.forEach((n) => nodes.set(n.id, n));
      g.edges.forEach((e) => edges.set(edgeId(e), e));
    };
    if (base.data) add(base.data.neighbourhood);
    for (const x of expanded) {
      const g = extra.get(x + '|' + relKey);
      if (g) add(g);
    }
    return { nodes, edges };
  }, [base.data, extra, expanded.join(','), relKey]);

  const visible = useMemo(() => {
    const edges = [...graph.edges.values()].filter((e) => (!min || rank[e.status] >= rank[min]) && overlap(e, from, to));
    return new Set(edges.map(edgeId));
  }, [graph, min, from, to]);


  return (
    <section class="graph-view" aria-labelledby="graph-title">
      <h2 id="graph-title" class="visually-hidden">
        Graph of the neighbourhood
      </h2>
      <form class="graph-filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Depth{' '}
          <select value={String(depth)} onChange={(e) => setParams({ depth: (e.target as HTMLSelectElement).value, expand: null })}>
            <option value="1">1 hop</option>
            <option value="2">2 hops</option>
            <option value="3">3 hops</option>
          </select>
        </label>
        <MinStatusFilter label="At least" min={min} />
        <label>
          From{' '}
          <input type="text" inputMode="numeric" size={10} placeholder="YYYY" value={rawFrom} aria-invalid={rawFrom !== from} onChange={(e) => setParams({ from: (e.target as HTMLInputElement).value.trim() })} />
        </label>
        <label>
          to{' '}
          <input type="text" inputMode="numeric" size={10} placeholder="YYYY" value={rawTo} aria-invalid={rawTo !== to} onChange={(e) => setParams({ to: (e.target as HTMLInputElement).value.trim() })} />
        </label>
        {(rawFrom !== from || rawTo !== to) && (
          <p class="field-error" role="alert">
            Dates are written YYYY, YYYY-MM or YYYY-MM-DD; “{rawFrom !== from ? rawFrom : rawTo}” is not one, so no date limit is applied.
          </p>
        )}
        <RelationFilter legend="Relations" rels={rels} />
      </form>
      {base.loading && !base.data && <Loading what="the neighbourhood" />}
      {base.error && <ErrorBox error={base.error} what="the neighbourhood" />}
      {expandError && <ErrorBox error={expandError} what="a node's neighbours" />}
      {base.data && (
        <div class="graph-layout">
          <Canvas start={id} graph={graph} visible={visible} selected={selected} />
          <aside class="graph-panel" aria-live="polite">
            <Selection graph={graph} selected={selected} start={id} expanded={expanded} />
          </aside>
        </div>
      )}
      {base.data && <Legend />}
      {base.data && <EdgeList graph={graph} visible={visible} />}
    </section>
  );
}

// Canvas draws the graph. It keeps one cytoscape instance for the view's
// life and changes it in place, so positions hold when nodes are added or
// edges filtered: new nodes are placed in a ring around their neighbour
// already drawn, and nothing drawn moves.
function Canvas({ start, graph, visible, selected }: { start: string; graph: { nodes: Map<string, EntityRef>; edges: Map<string, Edge> }; visible: Set<string>; selected: string }) {
  const box = useRef<HTMLDivElement>(null);
  const cyRef = useRef<cytoscape.Core | null>(null);

  useEffect(() => {
    // cytoscape adds a <style> element unless one with this id exists; the
    // page's policy allows no inline style, and style.css has its rule.
    if (!document.getElementById(cytoscapeStylesheet)) {
      const marker = document.createElement('meta');
      marker.id = cytoscapeStylesheet;
      document.head.appendChild(marker);
    }
    const cy = cytoscape({
      container: box.current,
      style: graphStyle,
      minZoom: 0.1,
      maxZoom: 3,
      textureOnViewport: true,
      motionBlur: false,
    });
    cy.on('tap', 'node', (e) => setParams({ sel: 'n:' + e.target.id() }));
    cy.on('tap', 'edge', (e) => setParams({ sel: 'e:' + e.target.id() }));
    cy.on('tap', (e) => {
      if (e.target === cy) setParams({ sel: null });
    });
    cyRef.current = cy;
    (window as unknown as { __cy?: cytoscape.Core }).__cy = cy; // for the benchmark and tests
    return () => cy.destroy();
  }, []);

  useEffect(() => {
    const cy = cyRef.current!;
    const fresh: cytoscape.ElementDefinition[] = [];
    graph.nodes.forEach((n) => {
      if (cy.getElementById(n.id).empty()) fresh.push({ group: 'nodes', data: { id: n.id, name: n.name, type: n.type, start: n.id === start ? 1 : 0 } });
    });
    graph.edges.forEach((e, id) => {
      if (cy.getElementById(id).empty() && graph.nodes.has(e.from.id) && graph.nodes.has(e.to.id)) {
        fresh.push({
          group: 'edges',
          data: { id, source: e.from.id, target: e.to.id, rel: relationWords[e.relation] ?? e.relation, status: e.status, red: e.contested || e.status === 'disputed' ? 1 : 0 },
        });
      }
    });
    if (fresh.length === 0) return;
    const firstDraw = cy.nodes().empty();
    const added = cy.add(fresh);
    if (firstDraw) {
      const level = hopsFrom(start, graph);
      // Rings by distance from the entity, nearest inside, then a
      // force-directed pass from there (no random start: the same graph
      // is drawn the same way every time).
      cy.layout({ name: 'concentric', concentric: (n: cytoscape.NodeSingular) => 10 - (level.get(n.id()) ?? 9), levelWidth: () => 1, minNodeSpacing: 18, animate: false } as cytoscape.LayoutOptions).run();
      cy.layout({ name: 'cose', randomize: false, animate: false, nodeRepulsion: () => 90000, idealEdgeLength: () => 90, numIter: 600, fit: false } as cytoscape.LayoutOptions).run();
      cy.fit(undefined, 30);
    } else {
      const newNodes = added.nodes();
      const byAnchor = new Map<string, cytoscape.NodeSingular[]>();
      newNodes.forEach((n) => {
        const anchor = n.neighborhood('node').filter((m) => !newNodes.contains(m)).first();
        const key = anchor.nonempty() ? anchor.id() : start;
        if (!byAnchor.has(key)) byAnchor.set(key, []);
        byAnchor.get(key)!.push(n);
      });
      byAnchor.forEach((ns, key) => {
        const c = cy.getElementById(key).position();
        const r = 90 + 6 * ns.length;
        ns.forEach((n, i) => n.position({ x: c.x + r * Math.cos((2 * Math.PI * i) / ns.length), y: c.y + r * Math.sin((2 * Math.PI * i) / ns.length) }));
      });
    }
  }, [graph]);

  useEffect(() => {
    const cy = cyRef.current!;
    cy.batch(() => {
      cy.edges().forEach((e) => {
        e.toggleClass('hidden', !visible.has(e.id()));
      });
      cy.nodes().forEach((n) => {
        const shown = n.data('start') === 1 || n.connectedEdges().not('.hidden').nonempty();
        n.toggleClass('hidden', !shown);
      });
    });
  }, [visible, graph]);

  useEffect(() => {
    const cy = cyRef.current!;
    cy.elements().unselect();
    if (selected.length > 2) cy.getElementById(selected.slice(2)).select();
  }, [selected, graph]);

  return <div class="graph-canvas" ref={box} role="img" aria-label="The neighbourhood as a graph; the same links are listed below the graph" />;
}

const cytoscapeStylesheet = '__________cytoscape_stylesheet';

// hopsFrom is each node's distance from the start over the edges drawn.
function hopsFrom(start: string, graph: { edges: Map<string, Edge> }): Map<string, number> {
  const next = new Map<string, string[]>();
  graph.edges.forEach((e) => {
    next.set(e.from.id, [...(next.get(e.from.id) ?? []), e.to.id]);
    next.set(e.to.id, [...(next.get(e.to.id) ?? []), e.from.id]);
  });
  const level = new Map([[start, 0]]);
  const queue = [start];
  while (queue.length) {
    const x = queue.shift()!;
    for (const y of next.get(x) ?? []) {
      if (!level.has(y)) {
        level.set(y, level.get(x)! + 1);
        queue.push(y);
      }
    }
  }
  return level;
}

const graphStyle: cytoscape.StylesheetJson = [
  {
    selector: 'node',
    style: {
      label: 'data(name)',
      'font-size': 10,
      'text-valign': 'bottom',
      'text-margin-y': 4,
      'text-wrap': 'ellipsis',
      'text-max-width': '110px',
      color: '#1b1f24',
      width: 22,
      height: 22,
      'border-width': 0,
    },
  },
  ...Object.entries(typeShapes).map(([type, [shape, colour]]) => ({
    selector: `node[type = "${type}"]`,
    style: { shape: shape as cytoscape.Css.NodeShape, 'background-color': colour },
  })),
  { selector: 'node[start = 1]', style: { width: 34, height: 34, 'font-weight': 'bold', 'font-size': 12, 'border-width': 3, 'border-color': '#f0a500' } },
  { selector: 'node:selected', style: { 'border-width': 4, 'border-color': '#f0a500' } },
  {
    selector: 'edge',
    style: {
      width: 2,
      'curve-style': 'bezier',
      'target-arrow-shape': 'triangle',
      'arrow-scale': 0.8,
      'line-color': '#6b7280',
      'target-arrow-color': '#6b7280',
      'line-style': 'solid',
    },
  },
  { selector: 'edge[status = "reported"]', style: { 'line-style': 'dashed', 'line-dash-pattern': [6, 4] } },
  { selector: 'edge[status = "confirmed"]', style: { width: 5 } },
  { selector: 'edge[status = "retracted"]', style: { 'line-style': 'dotted', opacity: 0.5 } },
  { selector: 'edge[red = 1]', style: { 'line-color': '#c81e1e', 'target-arrow-color': '#c81e1e' } },
  { selector: 'edge:selected', style: { label: 'data(rel)', 'font-size': 9, 'text-background-color': '#fff', 'text-background-opacity': 1, 'line-color': '#f0a500', 'target-arrow-color': '#f0a500' } },
  { selector: '.hidden', style: { display: 'none' } },
];

function Legend() {
  return (
    <div class="graph-legend" aria-label="Legend">
      <ul>
        {Object.entries(typeShapes).map(([type, [shape, colour]]) => (
          <li key={type}>
            <span class={`swatch swatch-${type}`} data-shape={shape} data-colour={colour} aria-hidden="true" />
            {typeWords[type]}
          </li>
        ))}
      </ul>
      <ul>
        <li>
          <span class="line reported" aria-hidden="true" /> reported
        </li>
        <li>
          <span class="line documented" aria-hidden="true" /> documented
        </li>
        <li>
          <span class="line confirmed" aria-hidden="true" /> confirmed
        </li>
        <li>
          <span class="line contested" aria-hidden="true" /> contested or disputed
        </li>
      </ul>
    </div>
  );
}

function Selection({ graph, selected, start, expanded }: { graph: { nodes: Map<string, EntityRef>; edges: Map<string, Edge> }; selected: string; start: string; expanded: string[] }) {
  if (selected.startsWith('n:')) {
    const n = graph.nodes.get(selected.slice(2));
    if (!n) return <Empty>That node is not in this graph.</Empty>;
    const isExpanded = n.id === start || expanded.includes(n.id);
    return (
      <div class="node-panel">
        <h3>
          <EntityLink e={n} tag />
        </h3>
        <p>
          <Link href={entityPath(n.id)}>Open its page</Link>
        </p>
        <p>
          <button type="button" disabled={isExpanded} onClick={() => setParams({ expand: [...expanded, n.id].join(',') })}>
            {isExpanded ? 'Its neighbours are drawn' : 'Expand: draw its neighbours'}
          </button>
        </p>
      </div>
    );
  }
  if (selected.startsWith('e:')) {
    const e = graph.edges.get(selected.slice(2));
    if (!e) return <Empty>That link is not in this graph.</Empty>;
    return <EdgeEvidence edge={e} graph={graph} />;
  }
  return <p class="muted">Select a node to open or expand it, or a link to see the claims and quotes behind it.</p>;
}

const edgeClaimsQuery = `query EdgeClaims($subject: ID!, $object: ID!, $relations: [Relation!]) {
  claims(filter: { subject: $subject, object: $object, relations: $relations }, first: 20) { totalCount nodes { ${claimFields} } }
}`;

// EdgeEvidence is the evidence panel of a link: the claims behind it, each
// with its quotes.
function EdgeEvidence({ edge, graph }: { edge: Edge; graph: { nodes: Map<string, EntityRef> } }) {
  const { data, error, loading } = useQuery<{ claims: { totalCount: number; nodes: Claim[] } }>(edgeClaimsQuery, {
    subject: edge.from.id,
    object: edge.to.id,
    relations: [edge.relation],
  });
  const from = graph.nodes.get(edge.from.id);
  const to = graph.nodes.get(edge.to.id);
  const contested = data ? contestedKeys(data.claims.nodes) : new Set<string>();
  return (
    <div class="edge-panel">
      <h3>
        {from && <EntityLink e={from} />} <span class="relation">{relationWords[edge.relation] ?? edge.relation}</span> {to && <EntityLink e={to} />}
      </h3>
      {loading && <Loading what="the claims" />}
      {error && <ErrorBox error={error} what="the claims" />}
      {data && (
        <>
          <p class="muted">
            {data.claims.totalCount} {data.claims.totalCount === 1 ? 'claim' : 'claims'}
            {data.claims.totalCount > data.claims.nodes.length && `, the first ${data.claims.nodes.length} shown`}
          </p>
          <ul class="claims">
            {data.claims.nodes.map((c) => (
              <ClaimItem key={c.id} c={c} contested={edge.contested || contested.has(claimKey(c))} open />
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

// EdgeList is the graph as text, for keyboards and screen readers: every
// link drawn; each end selects its node (to open or expand it) and the
// relation selects the link (to read its evidence).
function EdgeList({ graph, visible }: { graph: { nodes: Map<string, EntityRef>; edges: Map<string, Edge> }; visible: Set<string> }) {
  const rows = [...graph.edges.entries()].filter(([id]) => visible.has(id));
  return (
    <details class="edge-list">
      <summary>The same links as a list ({rows.length})</summary>
      <ul>
        {rows.map(([id, e]) => (
          <li key={id}>
            <button type="button" class="linklike" onClick={() => setParams({ sel: 'n:' + e.from.id })}>
              {graph.nodes.get(e.from.id)?.name}
            </button>{' '}
            <button type="button" class="linklike" onClick={() => setParams({ sel: 'e:' + id })}>
              {relationWords[e.relation] ?? e.relation}
            </button>{' '}
            <button type="button" class="linklike" onClick={() => setParams({ sel: 'n:' + e.to.id })}>
              {graph.nodes.get(e.to.id)?.name}
            </button>{' '}
            <span class={`badge status-${e.status}`}>{e.status}</span>
            {e.contested && <span class="badge contested">contested</span>}
          </li>
        ))}
      </ul>
    </details>
  );
}
