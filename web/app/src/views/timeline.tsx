// The timeline of an entity: its dated claims (supplies, designations,
// incidents, ownership) on a time axis, then year by year with their
// evidence. A country's includes the supplies into its bodies.
import { ClaimItem, Empty, ErrorBox, Loading } from '../components';
import { useQuery } from '../data';
import { Claim, claimFields, claimKey, contestedKeys, relationTitles } from '../model';

interface Entry {
  date: string;
  end?: string | null;
  claim: Claim;
}

const timelineQuery = `query Timeline($id: ID!) { timeline(id: $id, first: 100) { date end claim { ${claimFields} } } }`;

// kindOf sorts a claim into the axis's four colours.
function kindOf(rel: string): string {
  switch (rel) {
    case 'SUPPLIED':
    case 'OFFERS':
      return 'supply';
    case 'DESIGNATED':
      return 'designation';
    case 'OCCURRED_IN':
    case 'INVOLVED_IN':
      return 'incident';
    case 'OWNS':
    case 'SUBSIDIARY_OF':
    case 'ACQUIRED_BY':
    case 'RENAMED_TO':
      return 'ownership';
  }
  return 'other';
}

// yearOf reads the year of an ISO date, possibly partial.
const yearOf = (d: string) => Number(d.slice(0, 4));

// at is a date's place in years, months counted: "2020-07" is 2020.5.
function at(d: string): number {
  const m = d.length >= 7 ? Number(d.slice(5, 7)) - 1 : 0;
  return yearOf(d) + m / 12;
}

export default function TimelineView({ id }: { id: string }) {
  const { data, error, loading } = useQuery<{ timeline: Entry[] }>(timelineQuery, { id });
  if (loading && !data) return <Loading what="the timeline" />;
  if (error) return <ErrorBox error={error} what="the timeline" />;
  if (!data) return null;
  const entries = data.timeline;
  if (entries.length === 0) return <Empty>No dated claim names this entity yet.</Empty>;
  const first = Math.min(...entries.map((e) => yearOf(e.date)));
  const last = Math.max(...entries.map((e) => yearOf(e.end ?? e.date))) + 1;
  const span = Math.max(1, last - first);
  // The plot starts after a gutter for the rows' labels.
  const x = (d: string) => 90 + ((at(d) - first) / span) * 890;
  const years: number[] = [];
  const step = span > 20 ? 5 : span > 10 ? 2 : 1;
  for (let y = first; y <= last; y += step) years.push(y);
  const byYear = new Map<number, Entry[]>();
  for (const e of entries) {
    const y = yearOf(e.date);
    if (!byYear.has(y)) byYear.set(y, []);
    byYear.get(y)!.push(e);
  }
  const contested = contestedKeys(entries.map((e) => e.claim));
  const kinds = ['supply', 'designation', 'incident', 'ownership', 'other'];
  return (
    <section class="timeline" aria-labelledby="timeline-title">
      <h2 id="timeline-title">Timeline</h2>
      {/* On a narrow screen the axis scrolls sideways; the keyboard can scroll it too. */}
      <div class="timeline-axis" tabIndex={0} role="region" aria-label="Time axis">
      <svg class="axis" viewBox="0 0 1000 150" role="img" aria-label={`Dated claims from ${first} to ${last - 1}; each is listed below by year`}>
        {kinds.map((k, row) => (
          <text key={k} x="2" y={34 + row * 22} class="row-label">
            {k}
          </text>
        ))}
        <line x1="90" x2="980" y1="122" y2="122" class="axis-line" />
        {years.map((y) => (
          <g key={y}>
            <line x1={x(String(y))} x2={x(String(y))} y1="118" y2="126" class="tick" />
            <text x={x(String(y))} y="142" class="tick-label">
              {y}
            </text>
          </g>
        ))}
        {entries.map((e) => {
          const row = kinds.indexOf(kindOf(e.claim.relation));
          const y = 30 + row * 22;
          const x1 = x(e.date);
          const x2 = e.end ? Math.max(x(e.end), x1 + 4) : x1;
          return (
            <g key={e.claim.id}>
              <title>{`${e.date}${e.end ? ' – ' + e.end : ''}: ${e.claim.subject.name} ${relationTitles[e.claim.relation] ?? e.claim.relation} ${e.claim.object.name}`}</title>
              {x2 > x1 ? <rect x={x1} y={y - 5} width={x2 - x1} height="10" rx="3" class={`mark ${kindOf(e.claim.relation)}`} /> : <circle cx={x1} cy={y} r="5" class={`mark ${kindOf(e.claim.relation)}`} />}
            </g>
          );
        })}
      </svg>
      </div>
      {[...byYear.keys()]
        .sort((a, b) => a - b)
        .map((y) => (
          <section key={y} class="timeline-year" aria-labelledby={`y-${y}`}>
            <h3 id={`y-${y}`}>{y}</h3>
            <ul class="claims">
              {byYear.get(y)!.map((e) => (
                <ClaimItem key={e.claim.id} anchor={`t-${e.claim.id}`} c={e.claim} contested={contested.has(claimKey(e.claim))} about={id} />
              ))}
            </ul>
          </section>
        ))}
    </section>
  );
}
