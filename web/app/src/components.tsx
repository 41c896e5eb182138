// The pieces every view is made of: links that stay in the app, an
// entity's name with its type, a claim with its status and evidence, and
// the states of a view that has no data yet or none at all.
//
// Everything a source wrote (names, quotes, titles, URLs) is rendered as
// text through JSX, which escapes it; nothing here sets HTML.
import { Fragment, type ComponentChildren, type JSX } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { changed } from './data';
import { ApiError, gql } from './gql';
import { isEditor, useSession } from './session';
import { entityPath, navigate, setParams } from './router';
import {
  Claim,
  EntityRef,
  Evidence,
  countryName,
  dates,
  money,
  relationTitles,
  relationWords,
  safeHref,
  typeWords,
  words,
} from './model';

export function Link(props: { href: string; children: ComponentChildren; class?: string; title?: string; current?: boolean }) {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(props.href);
  };
  return (
    <a href={props.href} class={props.class} title={props.title} onClick={onClick} aria-current={props.current ? 'page' : undefined}>
      {props.children}
    </a>
  );
}

export function TypeTag({ type }: { type: string }) {
  return <span class={`type type-${type}`}>{typeWords[type] ?? type}</span>;
}

export function EntityLink({ e, tag = false }: { e: EntityRef; tag?: boolean }) {
  return (
    <span class="entity-link">
      <Link href={entityPath(e.id)}>{e.name}</Link>
      {tag && <TypeTag type={e.type} />}
      {tag && e.country && e.type !== 'Country' && (
        <span class="country-code" title={countryName(e.country)}>
          {e.country}
        </span>
      )}
    </span>
  );
}

// Facts joins a claim's short facts (dates, a quantity, a list, a role)
// with dots, each in a <bdi>: several come from sources, and an override
// in one must not reorder the rest of the line.
export function Facts({ items }: { items: string[] }) {
  return (
    <>
      {items.map((f, i) => (
        <Fragment key={i}>
          {i > 0 && ' · '}
          <bdi>{f}</bdi>
        </Fragment>
      ))}
    </>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span class={`badge status-${status}`}>{status}</span>;
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="state loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

// ErrorBox says what went wrong in words a reader can act on.
export function ErrorBox({ error, what }: { error: ApiError; what: string }) {
  let text: string;
  switch (error.code) {
    case 'UNAVAILABLE':
      text = 'The database is unavailable right now, so nothing can be shown. The server keeps trying; reload in a minute.';
      break;
    case 'NETWORK':
      text = error.message;
      break;
    case 'UNAUTHENTICATED':
      text = 'This server needs an API key to read. Ask its operator for one.';
      break;
    case 'LIMIT_EXCEEDED':
      text = `That asked too much at once: ${error.message}`;
      break;
    default:
      text = error.message;
  }
  return (
    <div class={`state error error-${error.code}`} role="alert">
      <strong>Could not load {what}.</strong> {text}
    </div>
  );
}

// FieldError is the server's reason for refusing one input field, shown
// under the field.
export function FieldError({ error, field }: { error: ApiError | null; field: string }) {
  const msg = error?.forField(field);
  if (!msg) return null;
  return (
    <p class="field-error" role="alert">
      {msg}
    </p>
  );
}

export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="state empty">{children}</p>;
}

// ClaimItem is a claim: its ends, what it asserts, its badges and facts,
// and its evidence behind a disclosure; the entity a list is about is
// named in bold rather than linked to itself.
export function ClaimItem({ c, contested, open = false, about, anchor }: { c: Claim; contested: boolean; open?: boolean; about?: string; anchor?: string }) {
  const facts: string[] = [];
  const when = dates(c.start, c.end);
  if (when) facts.push(when);
  if (c.stage) facts.push(words(c.stage));
  const v = money(c.value, c.currency);
  if (v) facts.push(v);
  if (c.quantity) facts.push(c.quantity);
  if (c.list) facts.push(c.list);
  if (c.program) facts.push(c.program);
  if (c.role) facts.push(c.role);
  if (c.share) facts.push(`share ${c.share}`);
  return (
    <li class={`claim status-${c.status}`} data-claim={c.id} id={anchor}>
      <div class="claim-head">
        <StatusBadge status={c.status} />
        {c.stance === 'denies' && <span class="badge stance-denies">denied</span>}
        {contested && (
          <span class="badge contested" title="Sources both assert and deny this link">
            contested
          </span>
        )}
        <span class="claim-text">
          {c.subject.id === about ? <strong>{c.subject.name}</strong> : <EntityLink e={c.subject} />}{' '}
          <span class="relation">{relationWords[c.relation] ?? c.relation}</span>{' '}
          {c.object.id === about ? <strong>{c.object.name}</strong> : <EntityLink e={c.object} />}
          {c.product && (
            <>
              {' '}
              <span class="product">
                (product: <EntityLink e={c.product} />)
              </span>
            </>
          )}
        </span>
      </div>
      {facts.length > 0 && (
        <div class="claim-facts">
          <Facts items={facts} />
        </div>
      )}
      {c.summary && <p class="summary">{c.summary}</p>}
      {c.review && (
        <p class="reviewed">
          {c.review.by} reviewed it {c.review.at.slice(0, 10)}
          {c.review.note && (
            <>
              {': '}
              <bdi>{c.review.note}</bdi>
            </>
          )}
        </p>
      )}
      <ReviewControls c={c} />
      <details class="evidence" open={open}>
        <summary>
          Evidence ({c.evidence.length} {c.evidence.length === 1 ? 'source' : 'sources'}) · confidence {c.confidence.toFixed(2)}
        </summary>
        <ol class="evidence-list">
          {c.evidence.map((ev, i) => (
            <EvidenceItem key={i} ev={ev} />
          ))}
        </ol>
      </details>
    </li>
  );
}

export function EvidenceItem({ ev }: { ev: Evidence }) {
  const d = ev.document;
  const href = safeHref(d.url);
  return (
    <li class="evidence-item">
      {ev.quote && <blockquote class="quote">{ev.quote}</blockquote>}
      {ev.paraphrase && (
        <p class="paraphrase">
          <span class="label">Editor's paraphrase:</span> <bdi>{ev.paraphrase}</bdi>
        </p>
      )}
      {ev.locator && (
        <p class="locator">
          At: <bdi>{ev.locator}</bdi>
        </p>
      )}
      {ev.unchecked && (
        <p class="unchecked">
          <span class="badge unchecked-badge">unchecked</span> Not checked against the page: <bdi>{ev.unchecked}</bdi>
        </p>
      )}
      <p class="document">
        <span class="doc-title">{d.title || d.url}</span>
        {d.publisher && (
          <span class="publisher">
            {' — '}
            <bdi>{d.publisher}</bdi>
          </span>
        )}
        {d.published && <span class="published">, {d.published}</span>}
      </p>
      <dl class="doc-facts">
        <dt>Original</dt>
        <dd>
          {href ? (
            <a href={href} rel="noopener noreferrer nofollow" target="_blank" class="source-link">
              {d.url}
            </a>
          ) : (
            <span class="unsafe-url">{d.url}</span>
          )}
        </dd>
        <dt>Archived copy</dt>
        {d.archive ? <dd class="mono">{d.archive}</dd> : <dd class="none">{d.origin === 'curated' ? 'none: an editor read the page; it was not fetched' : 'none'}</dd>}
        {d.sha256 && (
          <>
            <dt>SHA-256</dt>
            <dd class="mono hash">{d.sha256}</dd>
          </>
        )}
        {d.retrieved && (
          <>
            <dt>Retrieved</dt>
            <dd>{d.retrieved}</dd>
          </>
        )}
        <dt>Origin</dt>
        <dd>{d.origin}</dd>
      </dl>
    </li>
  );
}

// reviewMutation is every review of a claim: from the claim, and from the
// review queue. It sends the version the editor read.
export const reviewMutation = `mutation Review($id: ID!, $status: ReviewStatus!, $note: String, $version: Int) {
  reviewClaim(id: $id, status: $status, note: $note, version: $version) { id status } }`;
const undoMutation = `mutation Undo($id: ID!, $version: Int) { undoReview(id: $id, version: $version) { id status } }`;

// ReviewControls let an editor confirm, dispute or retract a claim with a
// note, or undo the review that stands; a reader sees none of them.
function ReviewControls({ c }: { c: Claim }) {
  const session = useSession();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!isEditor(session)) return null;
  const run = async (query: string, vars: Record<string, unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await gql(query, vars);
      setNote('');
      changed();
    } catch (e) {
      setError((e as Error).message);
      // Someone else reviewed it first: show what stands now, keep the
      // note, and let the editor decide again.
      if (e instanceof ApiError && e.code === 'CONFLICT') changed();
    } finally {
      setBusy(false);
    }
  };
  // The input sits inside its label: one claim may be shown twice on a
  // page (under a transfer and in the claims), so ids would repeat.
  return (
    <details class="review-controls">
      <summary>Review</summary>
      <label>
        Note (what you checked)
        <input type="text" value={note} maxLength={2000} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
      </label>
      <div class="review-buttons">
        {(['confirmed', 'disputed', 'retracted'] as const).map((st) => (
          <button key={st} type="button" disabled={busy || c.status === st} onClick={() => run(reviewMutation, { id: c.id, status: st, note: note || null, version: c.version })}>
            {st === 'confirmed' ? 'Confirm' : st === 'disputed' ? 'Dispute' : 'Retract'}
          </button>
        ))}
        {c.review && (
          <button type="button" disabled={busy} onClick={() => run(undoMutation, { id: c.id, version: c.version })}>
            Undo the review
          </button>
        )}
      </div>
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </details>
  );
}

// MinStatusFilter and RelationFilter are the filters the graph view and
// the paths share; each keeps its value in the URL (min=, rel=).
export function MinStatusFilter({ label, min }: { label: string; min: string }) {
  return (
    <label>
      {label}{' '}
      <select value={min} onChange={(e) => setParams({ min: (e.target as HTMLSelectElement).value })}>
        <option value="">any status</option>
        <option value="reported">reported</option>
        <option value="documented">documented</option>
        <option value="confirmed">confirmed</option>
      </select>
    </label>
  );
}

export function RelationFilter({ legend, rels }: { legend: string; rels: string[] }) {
  const toggle = (r: string) => setParams({ rel: (rels.includes(r) ? rels.filter((x) => x !== r) : [...rels, r]).join(',') });
  return (
    <fieldset class="relations">
      <legend>
        {legend} {rels.length === 0 && <span class="muted">(all)</span>}
      </legend>
      {Object.keys(relationTitles).map((r) => (
        <label key={r} class="check">
          <input type="checkbox" checked={rels.includes(r)} onChange={() => toggle(r)} /> {relationTitles[r]}
        </label>
      ))}
    </fieldset>
  );
}

// Lazy loads a module when it is first shown and draws its default
// export with props: a view (the graph view's cytoscape, the map's shapes)
// weighs only on those who open it.
export function Lazy<P extends object>({ load, what, props }: { load: () => Promise<{ default: (p: P) => JSX.Element | null }>; what: string; props: P }) {
  const [View, setView] = useState<((p: P) => JSX.Element | null) | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    load().then(
      (m) => setView(() => m.default),
      () => setFailed(true),
    );
  }, []);
  if (failed) return <p class="state error">Could not load {what}: the app may have been updated since this page was opened; reload it.</p>;
  return View ? <View {...props} /> : <Loading what={what} />;
}
