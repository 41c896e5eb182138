// The audit log: every editor's change, newest first, filtered by editor,
// kind of change and claim or entity (kept in the URL), each with what it
// changed shown field by field, before and after.
import { useState } from 'preact/hooks';
import { Empty, ErrorBox, Link, Loading } from '../components';
import { useQuery } from '../data';
import { entityPath, setParams, useLocation } from '../router';
import { isEditor, useSession } from '../session';

interface AuditEvent {
  id: string;
  at: string;
  who: string;
  action: string;
  target: string;
  before?: string | null;
  after?: string | null;
}

const auditQuery = `query Audit($who: String, $action: String, $target: ID, $after: String) {
  auditLog(first: 30, who: $who, action: $action, target: $target, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } nodes { id at who action target before after } } }`;

// The kinds of change the store records, as it names them.
const actions = ['addClaim', 'reviewClaim', 'undoReview', 'createEntity', 'editEntity', 'mergeEntities', 'unmergeEntity', 'judge', 'acceptSuggestion', 'rejectSuggestion'];

// Internal bookkeeping of a node that says nothing to a reader of a change.
const hidden = new Set(['rowhash', 'aliases_text', 'version']);

interface Change {
  field: string;
  before: string;
  after: string;
}

function show(v: unknown): string {
  if (v === undefined || v === null || (Array.isArray(v) && v.length === 0)) return '';
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function parse(s?: string | null): Record<string, unknown> {
  if (!s) return {};
  try {
    const v = JSON.parse(s);
    return v && typeof v === 'object' && !Array.isArray(v) ? v : { value: v };
  } catch {
    return { value: s };
  }
}

// changes are the fields whose values differ between before and after.
export function changes(before?: string | null, after?: string | null): Change[] {
  const b = parse(before);
  const a = parse(after);
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => !hidden.has(k)).sort();
  return keys.map((k) => ({ field: k, before: show(b[k]), after: show(a[k]) })).filter((c) => c.before !== c.after);
}

// Target names what a change changed: entities (a merge names two, "a →
// b", an unmerge "a ← b") link to their pages; claims, judgements and
// suggestions are shown by id.
function Target({ t }: { t: string }) {
  const arrow = t.includes(' ← ') ? ' ← ' : ' → ';
  const parts = t.split(arrow);
  return (
    <>
      {parts.map((p, i) => (
        <span key={p}>
          {i > 0 && arrow}
          {/^(claim|judgement|suggestion|audit):/.test(p) ? <code>{p}</code> : <Link href={entityPath(p)}>{p}</Link>}
        </span>
      ))}
    </>
  );
}

function Event({ e }: { e: AuditEvent }) {
  const diff = changes(e.before, e.after);
  return (
    <li class="audit-event" data-action={e.action}>
      <p class="audit-head">
        <time dateTime={e.at}>{e.at.replace('T', ' ').slice(0, 19)}</time> · <strong>{e.who}</strong> · <span class="audit-action">{e.action}</span> · <Target t={e.target} />
      </p>
      {diff.length === 0 ? (
        <p class="muted">No field changed.</p>
      ) : (
        <table class="diff">
          <caption class="visually-hidden">What the change did, field by field</caption>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Before</th>
              <th scope="col">After</th>
            </tr>
          </thead>
          <tbody>
            {diff.map((c) => (
              <tr key={c.field}>
                <th scope="row">{c.field}</th>
                <td class="before">{c.before === '' ? <span class="none">(none)</span> : <del>{c.before}</del>}</td>
                <td class="after">{c.after === '' ? <span class="none">(none)</span> : <ins>{c.after}</ins>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
}

export default function Audit() {
  const session = useSession();
  const { params } = useLocation();
  const who = params.get('who') ?? '';
  const action = params.get('action') ?? '';
  const target = params.get('target') ?? '';
  const after = params.get('after') ?? '';
  const [whoText, setWhoText] = useState(who);
  const [targetText, setTargetText] = useState(target);
  const q = useQuery<{ auditLog: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor?: string | null }; nodes: AuditEvent[] } }>(
    auditQuery,
    { who: who || null, action: action || null, target: target || null, after: after || null },
    !isEditor(session),
  );
  if (!isEditor(session)) {
    return (
      <div class="audit">
        <h1>Audit log</h1>
        <p>
          The audit log is for editors. <Link href={'/signin?next=' + encodeURIComponent('/audit')}>Sign in</Link> with an editor's key.
        </p>
      </div>
    );
  }
  return (
    <div class="audit">
      <h1>Audit log</h1>
      <form
        class="audit-filters"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ who: whoText.trim(), target: targetText.trim(), after: null });
        }}
      >
        <label>
          Editor <input type="text" value={whoText} size={16} onInput={(e) => setWhoText((e.target as HTMLInputElement).value)} />
        </label>
        <label>
          Change{' '}
          <select value={action} onChange={(e) => setParams({ action: (e.target as HTMLSelectElement).value, after: null })}>
            <option value="">any</option>
            {actions.map((a) => (
              <option key={a} value={a}>
                {a}
              </option>
            ))}
          </select>
        </label>
        <label>
          Claim or entity id <input type="text" value={targetText} size={28} placeholder="company/sandvine" onInput={(e) => setTargetText((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit">Filter</button>
      </form>
      {q.error ? (
        <ErrorBox error={q.error} what="the audit log" />
      ) : !q.data ? (
        <Loading what="the audit log" />
      ) : q.data.auditLog.nodes.length === 0 ? (
        <Empty>No change matches.</Empty>
      ) : (
        <>
          <p class="muted" role="status">
            {q.data.auditLog.totalCount} {q.data.auditLog.totalCount === 1 ? 'change' : 'changes'}
          </p>
          <ol class="audit-events">
            {q.data.auditLog.nodes.map((e) => (
              <Event key={e.id} e={e} />
            ))}
          </ol>
          <p class="pager">
            {after && (
              <button type="button" class="linklike" onClick={() => setParams({ after: null })}>
                Newest
              </button>
            )}{' '}
            {q.data.auditLog.pageInfo.hasNextPage && (
              <button type="button" onClick={() => setParams({ after: q.data!.auditLog.pageInfo.endCursor ?? null })}>
                Older changes
              </button>
            )}
          </p>
        </>
      )}
    </div>
  );
}
