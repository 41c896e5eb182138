// The editors' queues, worked through by keyboard: j and k move, a key per
// decision (judgements: s same, n not the same, u unsure; suggestions:
// a accept, r reject; disputed and contested claims: c confirm, d
// dispute, x retract), and a note field for what was checked. Which queue
// and which item are in the URL. A reader or a visitor is asked to sign
// in as an editor.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ClaimItem, Empty, EntityLink, ErrorBox, Link, Loading, TypeTag, reviewMutation } from '../components';
import { changed, useQuery } from '../data';
import { ApiError, gql } from '../gql';
import { Claim, Doc, EntityRef, claimFields, countryName, entityFields, relationWords, safeHref } from '../model';
import { setParams, useLocation } from '../router';
import { isEditor, useSession } from '../session';

interface Side {
  id: string;
  name: string;
  aliases: string[];
  type?: string | null;
  country?: string | null;
  identifiers: { scheme: string; value: string }[];
  claimCount: number;
  mergedInto?: string | null;
  entity?: (EntityRef & { claims: Claim[] }) | null;
}

interface Judgement {
  id: string;
  a: Side;
  b: Side;
  decision: string;
  score: number;
  explanation: string;
}

interface Suggestion {
  id: string;
  relation: string;
  subject: { name: string; type: string; country?: string | null; entity?: EntityRef | null };
  object: { name: string; type: string; country?: string | null; entity?: EntityRef | null };
  quote: string;
  locator?: string | null;
  document: Doc;
  confidence: number;
  reasons: string[];
}

const sideFields = `id name aliases type country identifiers { scheme value } claimCount mergedInto entity { ${entityFields} claims(first: 2) { ${claimFields} } }`;
const judgementsQuery = `query Judgements { judgements(first: 50) { totalCount nodes { id decision score explanation a { ${sideFields} } b { ${sideFields} } } } }`;
const partyFields = `name type country entity { ${entityFields} }`;
const suggestionsQuery = `query Suggestions { suggestions(first: 50) { totalCount nodes { id relation quote locator confidence reasons
  subject { ${partyFields} } object { ${partyFields} } document { id url title publisher published retrieved origin } } } }`;
const contestedQuery = `query Contested { claims(filter: { contested: true }, orderBy: START_DESC, first: 50) { totalCount nodes { ${claimFields} } } }`;
const decideJudgement = `mutation Decide($id: ID!, $decision: JudgementDecision!, $note: String) { decideJudgement(id: $id, decision: $decision, note: $note) { id decision } }`;
const acceptSuggestion = `mutation Accept($id: ID!, $note: String) { acceptSuggestion(id: $id, note: $note) { id status } }`;
const rejectSuggestion = `mutation Reject($id: ID!, $note: String) { rejectSuggestion(id: $id, note: $note) { id status } }`;

type Kind = 'judgements' | 'suggestions' | 'claims';

const queues: [Kind, string][] = [
  ['judgements', 'Are these one?'],
  ['suggestions', 'Suggested claims'],
  ['claims', 'Disputed and contested'],
];

const queries: Record<Kind, string> = { judgements: judgementsQuery, suggestions: suggestionsQuery, claims: contestedQuery };

export default function ReviewView() {
  const session = useSession();
  const { params } = useLocation();
  const queue = (queues.find(([q]) => q === params.get('queue'))?.[0] ?? 'judgements') as Kind;
  if (!isEditor(session)) {
    return (
      <div class="review">
        <h1>Review</h1>
        <p>
          The queues are for editors. <Link href={'/signin?next=' + encodeURIComponent('/review?queue=' + queue)}>Sign in with an editor's key</Link>.
        </p>
      </div>
    );
  }
  return (
    <div class="review">
      <h1>Review</h1>
      <nav class="tabs" aria-label="Queues">
        {queues.map(([q, label]) => (
          <Link key={q} href={'/review?queue=' + q} class={q === queue ? 'tab current' : 'tab'} current={q === queue}>
            {label}
          </Link>
        ))}
      </nav>
      <Queue key={queue} kind={queue} />
    </div>
  );
}

// decisions are each queue's keys: key, label, what it sends.
const decisions: Record<Kind, [string, string, string][]> = {
  judgements: [
    ['s', 'Same', 'same'],
    ['n', 'Not the same', 'not_same'],
    ['u', 'Unsure', 'unsure'],
  ],
  suggestions: [
    ['a', 'Accept', 'accept'],
    ['r', 'Reject', 'reject'],
  ],
  claims: [
    ['c', 'Confirm', 'confirmed'],
    ['d', 'Dispute', 'disputed'],
    ['x', 'Retract', 'retracted'],
  ],
};

function Queue({ kind }: { kind: Kind }) {
  const { params } = useLocation();
  const { data, error, loading } = useQuery<Record<string, { totalCount: number; nodes: { id: string }[] }>>(queries[kind], {});
  const items = data?.[kind].nodes ?? [];
  const at = Math.min(Math.max(0, Number(params.get('at') ?? 0) || 0), Math.max(0, items.length - 1));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  // The last judgement decided, so it can be put back to pending (which
  // undoes a merge) without leaving the queue.
  const [last, setLast] = useState<{ id: string; label: string } | null>(null);
  const noteRef = useRef<HTMLInputElement>(null);
  const current = items[at];

  const decide = async (value: string) => {
    if (!current || busy) return;
    setBusy(true);
    setFailed(null);
    try {
      if (kind === 'judgements') {
        await gql(decideJudgement, { id: current.id, decision: value, note: note || null });
        setLast({ id: current.id, label: decisions.judgements.find(([, , v]) => v === value)?.[1] ?? value });
      } else if (kind === 'claims') await gql(reviewMutation, { id: current.id, status: value, note: note || null, version: (current as Claim).version });
      else await gql(value === 'accept' ? acceptSuggestion : rejectSuggestion, { id: current.id, note: note || null });
      setNote('');
      // A judgement or a suggestion decided leaves its queue; a claim may
      // stay contested, so the queue moves on past it.
      if (kind === 'claims') setParams({ at: Math.min(at + 1, items.length - 1) });
      changed();
    } catch (e) {
      setFailed((e as Error).message);
      if (e instanceof ApiError && e.code === 'CONFLICT') changed();
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const t = e.target as HTMLElement;
      if (e.ctrlKey || e.metaKey || e.altKey || t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT') return;
      if (e.key === 'j') setParams({ at: Math.min(at + 1, items.length - 1) });
      else if (e.key === 'k') setParams({ at: Math.max(at - 1, 0) });
      else if (e.key === '/') {
        e.preventDefault();
        noteRef.current?.focus();
      } else {
        const d = decisions[kind].find(([key]) => key === e.key);
        if (!d) return;
        void decide(d[2]);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const undo = async () => {
    if (!last) return;
    setBusy(true);
    try {
      await gql(decideJudgement, { id: last.id, decision: 'pending', note: null });
      setLast(null);
      changed();
    } catch (e) {
      setFailed((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const undoBar = last && (
    <p class="last-decision" role="status">
      Decided: {last.label}.{' '}
      <button type="button" onClick={undo} disabled={busy}>
        Undo
      </button>
    </p>
  );

  if (loading && !data) return <Loading what="the queue" />;
  if (error) return <ErrorBox error={error} what="the queue" />;
  if (!current) {
    return (
      <>
        {undoBar}
        <Empty>Nothing waits for a decision here.</Empty>
      </>
    );
  }
  return (
    <section class="queue" aria-labelledby="queue-title">
      {undoBar}
      <h2 id="queue-title">
        {at + 1} of {data![kind].totalCount}
      </h2>
      <p class="muted keys">
        Keys: <kbd>j</kbd> next, <kbd>k</kbd> previous,{' '}
        {decisions[kind].map(([key, label]) => (
          <span key={key}>
            <kbd>{key}</kbd> {label.toLowerCase()},{' '}
          </span>
        ))}
        <kbd>/</kbd> the note.
      </p>
      <div class="queue-item" data-item={current.id}>
        {kind === 'judgements' && <JudgementCard j={current as unknown as Judgement} />}
        {kind === 'suggestions' && <SuggestionCard s={current as unknown as Suggestion} />}
        {kind === 'claims' && (
          <ul class="claims">
            <ClaimItem c={current as unknown as Claim} contested={(current as unknown as Claim).status !== 'disputed'} open />
          </ul>
        )}
      </div>
      <form class="decide" onSubmit={(e) => e.preventDefault()}>
        <label>
          Note on this decision
          <input ref={noteRef} type="text" value={note} maxLength={2000} onInput={(e) => setNote((e.target as HTMLInputElement).value)} />
        </label>
        <div class="review-buttons">
          {decisions[kind].map(([key, label, value]) => (
            <button key={key} type="button" disabled={busy} onClick={() => decide(value)} aria-keyshortcuts={key}>
              {label} <kbd>{key}</kbd>
            </button>
          ))}
        </div>
        {failed && (
          <p class="field-error" role="alert">
            {failed}
          </p>
        )}
      </form>
    </section>
  );
}

function SideCard({ s, label }: { s: Side; label: string }) {
  return (
    <div class="side">
      <h3>
        {label}: {s.entity ? <EntityLink e={{ ...s.entity, name: s.name }} /> : <bdi>{s.name}</bdi>}
      </h3>
      <p class="entity-meta">
        {s.type && <TypeTag type={s.type} />}
        {s.country && <span>{countryName(s.country)}</span>}
        <span>
          {s.claimCount} {s.claimCount === 1 ? 'claim' : 'claims'}
        </span>
        {s.mergedInto && <span>merged into {s.mergedInto}</span>}
      </p>
      {s.aliases.filter((a) => a !== s.name).length > 0 && <p>Also: {s.aliases.filter((a) => a !== s.name).join(' · ')}</p>}
      {s.identifiers.length > 0 && (
        <p class="mono">
          {s.identifiers.map((i) => `${i.scheme} ${i.value}`).join(' · ')}
        </p>
      )}
      <ul class="claims">
        {(s.entity?.claims ?? []).map((c) => (
          <ClaimItem key={c.id} c={c} contested={false} />
        ))}
      </ul>
    </div>
  );
}

function JudgementCard({ j }: { j: Judgement }) {
  return (
    <>
      <div class="sides">
        <SideCard s={j.a} label="There first" />
        <SideCard s={j.b} label="Newcomer" />
      </div>
      <p class="explanation">
        Score {j.score.toFixed(3)} ({j.decision}): {j.explanation}
      </p>
    </>
  );
}

function SuggestionCard({ s }: { s: Suggestion }) {
  const href = safeHref(s.document.url);
  const party = (p: Suggestion['subject']) => (p.entity ? <EntityLink e={p.entity} tag /> : <span><bdi>{p.name}</bdi> (new {p.type}{p.country ? `, ${countryName(p.country)}` : ''})</span>);
  return (
    <div class="suggestion">
      <p class="claim-head">
        {party(s.subject)} <span class="relation">{relationWords[s.relation] ?? s.relation}</span> {party(s.object)}
      </p>
      <blockquote class="quote">{s.quote}</blockquote>
      <p class="document">
        {href ? (
          <a href={href} rel="noopener noreferrer nofollow" target="_blank">
            {s.document.title || s.document.url}
          </a>
        ) : (
          <bdi>{s.document.title || s.document.url}</bdi>
        )}
        {s.document.publisher && (
          <>
            {' — '}
            <bdi>{s.document.publisher}</bdi>
          </>
        )}
        {s.locator && (
          <>
            {', '}
            <bdi>{s.locator}</bdi>
          </>
        )}
      </p>
      <p class="muted">
        Confidence {s.confidence.toFixed(2)}: {s.reasons.join('; ')}
      </p>
    </div>
  );
}
