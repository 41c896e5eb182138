// Briefs and exports of an entity. The brief is previewed as the server
// renders it (in a sandboxed frame: its text is a source's, and the frame
// may run nothing), and downloads as Markdown, HTML or PDF; the region
// around the entity downloads as FollowTheMoney, CSV or GraphML. The
// choices live in the URL.
import { ErrorBox, Loading } from '../components';
import { useQuery } from '../data';
import { setParams, useLocation } from '../router';

interface BriefFacts {
  brief: { claims: number; sources: number; dataDate?: string | null; kind: string };
}

// The brief is composed once through the API first: what it will say (or
// why it cannot be written) is known before the preview and the downloads
// are offered.
const briefQuery = `query BriefFacts($subject: String!, $kind: BriefKind, $since: String, $asOf: String) {
  brief(subject: $subject, format: MARKDOWN, kind: $kind, since: $since, asOf: $asOf) { claims sources dataDate kind }
}`;

// A date as the brief's since and asOf take it: YYYY, YYYY-MM or YYYY-MM-DD.
const isDate = (s: string) => /^\d{4}(-\d{2}(-\d{2})?)?$/.test(s);

const kinds: [string, string][] = [
  ['', 'as its type suggests'],
  ['vendor', 'a vendor'],
  ['buyer', 'a buyer'],
  ['country', 'a country'],
];

const exportFormats: [string, string][] = [
  ['ftm', 'FollowTheMoney (JSON lines)'],
  ['csv', 'CSV (a zip of tables)'],
  ['graphml', 'GraphML'],
];

// DateField is a date parameter of the brief, typed as text and kept in
// the address; what is not a date is said, with what the brief does then.
function DateField({ label, param, raw, otherwise }: { label: string; param: string; raw: string; otherwise: string }) {
  return (
    <>
      <label>
        {label}{' '}
        <input
          type="text"
          inputMode="numeric"
          size={10}
          placeholder="YYYY-MM-DD"
          value={raw}
          aria-invalid={!isDate(raw) && raw !== ''}
          onChange={(e) => setParams({ [param]: (e.target as HTMLInputElement).value.trim() })}
        />
      </label>
      {raw !== '' && !isDate(raw) && (
        <p class="field-error" role="alert">
          “{raw}” is not a date (YYYY, YYYY-MM or YYYY-MM-DD): {otherwise}.
        </p>
      )}
    </>
  );
}

export default function BriefView({ id }: { id: string }) {
  const { params } = useLocation();
  const kind = kinds.some(([k]) => k === params.get('kind')) ? params.get('kind')! : '';
  const rawSince = params.get('since') ?? '';
  const since = isDate(rawSince) ? rawSince : '';
  // asOf composes the brief from what the graph held on that day, so an
  // advocate can cite what was known then.
  const rawAsOf = params.get('asOf') ?? '';
  const asOf = isDate(rawAsOf) ? rawAsOf : '';
  const depth = ['0', '1', '2'].includes(params.get('depth') ?? '') ? params.get('depth')! : '1';
  const brief = (format: string, inline = false) => {
    const q = new URLSearchParams({ subject: id, format });
    if (kind) q.set('kind', kind);
    if (since) q.set('since', since);
    if (asOf) q.set('asOf', asOf);
    if (inline) q.set('inline', '1');
    return '/briefs?' + q.toString();
  };
  const region = (format: string) => '/exports?' + new URLSearchParams({ subject: id, depth, format }).toString();
  const facts = useQuery<BriefFacts>(briefQuery, {
    subject: id,
    kind: kind ? kind.toUpperCase() : null,
    since: since || null,
    asOf: asOf || null,
  });
  return (
    <div class="brief-view">
      <section aria-labelledby="brief-title">
        <h2 id="brief-title">Accountability brief</h2>
        <p class="muted">Every factual sentence is footnoted to its sources, and says whether it is reported, documented or confirmed.</p>
        <form class="brief-form" onSubmit={(e) => e.preventDefault()}>
          <label>
            Read it as{' '}
            <select value={kind} onChange={(e) => setParams({ kind: (e.target as HTMLSelectElement).value })}>
              {kinds.map(([k, label]) => (
                <option key={k} value={k}>
                  {label}
                </option>
              ))}
            </select>
          </label>
          <DateField label="Since" param="since" raw={rawSince} otherwise="the brief covers every date" />
          <DateField label="As the graph held it on" param="asOf" raw={rawAsOf} otherwise="the brief is of what the graph holds now" />
          {facts.data && (
            <span class="downloads">
            Download:{' '}
            <a href={brief('md')} download>
              Markdown
            </a>{' '}
            ·{' '}
            <a href={brief('html')} download>
              HTML
            </a>{' '}
            ·{' '}
            <a href={brief('pdf')} download class="pdf-link">
              PDF
            </a>
            </span>
          )}
        </form>
        {facts.loading && <Loading what="the brief" />}
        {facts.error && <ErrorBox error={facts.error} what="the brief" />}
        {facts.data && (
          <>
            <p class="muted brief-facts">
              A {facts.data.brief.kind.toLowerCase()} brief of {facts.data.brief.claims} {facts.data.brief.claims === 1 ? 'claim' : 'claims'} from {facts.data.brief.sources}{' '}
              {facts.data.brief.sources === 1 ? 'source' : 'sources'}
              {facts.data.brief.dataDate ? `, data as of ${facts.data.brief.dataDate}` : ''}
              {asOf ? `, as the graph held it on ${asOf}` : ''}.
            </p>
            <iframe class="brief-preview" title="Preview of the brief" src={brief('html', true)} sandbox="" referrerpolicy="no-referrer" loading="lazy" />
          </>
        )}
      </section>
      <section aria-labelledby="export-title">
        <h2 id="export-title">Export the region around it</h2>
        <p class="muted">The entities within the chosen number of hops of direct links, the claims among them, their documents and evidence.</p>
        <form class="export-form" onSubmit={(e) => e.preventDefault()}>
          <label>
            Hops{' '}
            <select value={depth} onChange={(e) => setParams({ depth: (e.target as HTMLSelectElement).value })}>
              <option value="0">0 (the entity alone)</option>
              <option value="1">1</option>
              <option value="2">2</option>
            </select>
          </label>
          <ul class="export-links">
            {exportFormats.map(([f, label]) => (
              <li key={f}>
                <a href={region(f)} download>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </form>
      </section>
    </div>
  );
}
