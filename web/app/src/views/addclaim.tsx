// The editors' form for a new claim: its parties chosen by type-ahead (or
// created, after seeing what resolution finds close to the new name), what
// it asserts, and its evidence, whose quote the server checks against the
// page it fetches. Every refusal is shown beside the field it is about.
import { useEffect, useState } from 'preact/hooks';
import { EntityLink, FieldError, Link } from '../components';
import { changed } from '../data';
import { ApiError, asApiError, gql } from '../gql';
import { EntityRef, entityFields, relationWords, typeWords } from '../model';
import { entityPath, navigate, useLocation } from '../router';
import { SearchBox } from '../search';
import { isEditor, useSession } from '../session';

const addClaimMutation = `mutation Add($in: ClaimInput!) { addClaim(input: $in) { id subject { id } } }`;
const entityQuery = `query One($id: ID!) { entity(id: $id) { ${entityFields} } }`;
const duplicatesQuery = `query Dups($type: EntityType!, $name: String!, $country: String) {
  likelyDuplicates(type: $type, name: $name, country: $country) { score decision explanation entity { ${entityFields} } } }`;
const createMutation = `mutation Create($in: NewEntityInput!) { createEntity(input: $in) { ${entityFields} } }`;

const stages = ['offered', 'ordered', 'delivered', 'in_use', 'ended'];

interface Duplicate {
  score: number;
  decision: string;
  explanation: string;
  entity: EntityRef;
}

// NewEntity creates a party the graph lacks. As the name is typed, the
// entities resolution finds close to it are listed, so an editor picks
// one of them rather than make a duplicate.
function NewEntity({ role, onCreated, onCancel }: { role: string; onCreated: (e: EntityRef) => void; onCancel: () => void }) {
  const [type, setType] = useState('Company');
  const [name, setName] = useState('');
  const [country, setCountry] = useState('');
  const [dups, setDups] = useState<Duplicate[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (name.trim().length < 3) {
      setDups([]);
      return;
    }
    const ctl = new AbortController();
    const t = setTimeout(() => {
      gql<{ likelyDuplicates: Duplicate[] }>(duplicatesQuery, { type, name: name.trim(), country: country.trim() || null }, ctl.signal).then(
        (d) => !ctl.signal.aborted && setDups(d.likelyDuplicates),
        () => undefined,
      );
    }, 250);
    return () => {
      clearTimeout(t);
      ctl.abort();
    };
  }, [type, name, country]);
  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const d = await gql<{ createEntity: EntityRef }>(createMutation, { in: { type, name, country: country.trim() || null } });
      onCreated(d.createEntity);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <fieldset class="new-entity">
      <legend>A new {role}</legend>
      <label>
        Type{' '}
        <select value={type} onChange={(e) => setType((e.target as HTMLSelectElement).value)}>
          {Object.keys(typeWords)
            .filter((t) => t !== 'Country')
            .map((t) => (
              <option key={t} value={t}>
                {typeWords[t]}
              </option>
            ))}
        </select>
      </label>
      <FieldError error={error} field="input.type" />
      <label>
        Name <input type="text" value={name} maxLength={1000} onInput={(e) => setName((e.target as HTMLInputElement).value)} />
      </label>
      <FieldError error={error} field="input.name" />
      <label>
        Country (ISO code){' '}
        <input type="text" value={country} size={3} maxLength={2} onInput={(e) => setCountry((e.target as HTMLInputElement).value.toUpperCase())} />
      </label>
      <FieldError error={error} field="input.country" />
      {dups.length > 0 && (
        <div class="duplicates" role="status">
          <p>
            <strong>Already in the graph, and close to this name:</strong> choose one instead if it is the same.
          </p>
          <ul>
            {dups.map((d) => (
              <li key={d.entity.id}>
                <EntityLink e={d.entity} tag /> <span class="muted">score {d.score.toFixed(2)}: {d.explanation}</span>{' '}
                <button type="button" onClick={() => onCreated(d.entity)}>
                  Use this one
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="form-buttons">
        <button type="button" disabled={busy || name.trim() === ''} onClick={create}>
          Create {name.trim() ? `“${name.trim()}”` : 'it'}
        </button>
        <button type="button" class="linklike" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </fieldset>
  );
}

// Party is an entity the claim names (subject, object, product): chosen,
// or to be chosen by type-ahead, or (unless create is false) created.
function Party({
  role,
  value,
  onChange,
  error,
  field,
  create = true,
  optional = false,
}: {
  role: string;
  value: EntityRef | null;
  onChange: (e: EntityRef | null) => void;
  error: ApiError | null;
  field: string;
  create?: boolean;
  optional?: boolean;
}) {
  const [creating, setCreating] = useState(false);
  const title = role[0].toUpperCase() + role.slice(1);
  return (
    <div class={`party party-${role}`}>
      {value ? (
        <p class="chosen">
          <span class="picker-label">{title}</span> <EntityLink e={value} tag />{' '}
          <button type="button" class="linklike" onClick={() => onChange(null)}>
            change
          </button>
        </p>
      ) : creating ? (
        <NewEntity
          role={role}
          onCreated={(e) => {
            setCreating(false);
            onChange(e);
          }}
          onCancel={() => setCreating(false)}
        />
      ) : (
        <>
          <SearchBox label={optional ? `${title} (optional)` : title} visibleLabel onChoose={onChange} />
          {create && (
            <button type="button" class="linklike" onClick={() => setCreating(true)}>
              Not in the graph? Create the {role}
            </button>
          )}
        </>
      )}
      <FieldError error={error} field={field} />
    </div>
  );
}

export default function AddClaim() {
  const session = useSession();
  const { params } = useLocation();
  const [subject, setSubject] = useState<EntityRef | null>(null);
  const [object, setObject] = useState<EntityRef | null>(null);
  const [product, setProduct] = useState<EntityRef | null>(null);
  const [f, setF] = useState({ relation: 'SUPPLIED', stance: 'asserts', status: 'reported', confidence: '0.6', start: '', end: '', stage: '', value: '', currency: '', url: '', quote: '', locator: '', paraphrase: '', reason: '' });
  const [unquotable, setUnquotable] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: (e.target as HTMLInputElement).value });

  // ?subject=ID, from an entity page's "Add a claim about it".
  const preset = params.get('subject');
  useEffect(() => {
    if (!preset) return;
    gql<{ entity: EntityRef }>(entityQuery, { id: preset }).then(
      (d) => setSubject(d.entity),
      () => undefined,
    );
  }, [preset]);

  if (!isEditor(session)) {
    return (
      <div class="add-claim">
        <h1>Add a claim</h1>
        <p>
          Adding claims needs an editor's key. <Link href={'/signin?next=' + encodeURIComponent('/claims/new')}>Sign in</Link> first.
        </p>
      </div>
    );
  }

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const ev: Record<string, unknown> = { document: { url: f.url.trim() }, locator: f.locator.trim() || null };
    if (unquotable) Object.assign(ev, { paraphrase: f.paraphrase, reason: f.reason });
    else ev.quote = f.quote;
    const input: Record<string, unknown> = {
      relation: f.relation,
      subject: subject?.id ?? '',
      object: object?.id ?? '',
      stance: f.stance,
      status: f.status,
      confidence: Number(f.confidence),
      start: f.start.trim() || null,
      end: f.end.trim() || null,
      stage: f.relation === 'SUPPLIED' ? f.stage || null : null,
      product: product?.id ?? null,
      value: f.value.trim() ? Number(f.value) : null,
      currency: f.currency.trim() || null,
      evidence: [ev],
    };
    try {
      const d = await gql<{ addClaim: { id: string; subject: { id: string } } }>(addClaimMutation, { in: input });
      changed();
      navigate(entityPath(d.addClaim.subject.id) + '#' + encodeURIComponent(d.addClaim.id));
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };
  const closest = typeof error?.extensions.closest === 'string' && error.extensions.closest ? (error.extensions.closest as string) : null;
  const unfetchable = error?.extensions.reason === 'unfetchable';
  const fieldless = error && !error.extensions.field;

  return (
    <form class="add-claim" onSubmit={submit} noValidate>
      <h1>Add a claim</h1>
      <p class="muted">
        Cite the page that says it. The server fetches the page, keeps an archived copy and its hash, and accepts the quote only if the page's text holds it (white space, quote marks and letter case aside).
      </p>
      <Party role="subject" value={subject} onChange={setSubject} error={error} field="input.subject" />
      <label>
        Relation{' '}
        <select value={f.relation} onChange={set('relation')}>
          {Object.keys(relationWords).map((r) => (
            <option key={r} value={r}>
              {relationWords[r]}
            </option>
          ))}
        </select>
      </label>
      <FieldError error={error} field="input.relation" />
      <label class="check">
        <input type="checkbox" checked={f.stance === 'denies'} onChange={(e) => setF({ ...f, stance: (e.target as HTMLInputElement).checked ? 'denies' : 'asserts' })} /> The source denies it
      </label>
      <Party role="object" value={object} onChange={setObject} error={error} field="input.object" />
      <fieldset class="claim-facts-form">
        <legend>What, when, how much</legend>
        <label>
          From <input type="text" value={f.start} placeholder="2019, 2019-05 or 2019-05-21" size={12} onInput={set('start')} />
        </label>
        <FieldError error={error} field="input.start" />
        <label>
          Until <input type="text" value={f.end} placeholder="YYYY-MM-DD" size={12} onInput={set('end')} />
        </label>
        <FieldError error={error} field="input.end" />
        {f.relation === 'SUPPLIED' && (
          <label>
            Stage{' '}
            <select value={f.stage} onChange={set('stage')}>
              <option value="">not said</option>
              {stages.map((s) => (
                <option key={s} value={s}>
                  {s.replace('_', ' ')}
                </option>
              ))}
            </select>
          </label>
        )}
        <FieldError error={error} field="input.stage" />
        <label>
          Value <input type="text" inputMode="decimal" value={f.value} size={12} onInput={set('value')} />
        </label>
        <FieldError error={error} field="input.value" />
        <label>
          Currency <input type="text" value={f.currency} placeholder="USD" size={4} maxLength={3} onInput={(e) => setF({ ...f, currency: (e.target as HTMLInputElement).value.toUpperCase() })} />
        </label>
        <FieldError error={error} field="input.currency" />
        <label>
          Status{' '}
          <select value={f.status} onChange={set('status')}>
            <option value="reported">reported (a report or news says so)</option>
            <option value="documented">documented (a contract, filing or register says so)</option>
          </select>
        </label>
        <label>
          Confidence <input type="text" inputMode="decimal" value={f.confidence} size={5} onInput={set('confidence')} />
        </label>
        <FieldError error={error} field="input.confidence" />
      </fieldset>
      <Party role="product" value={product} onChange={setProduct} error={error} field="input.product" create={false} optional />
      <fieldset class="evidence-form">
        <legend>Evidence</legend>
        <label>
          Address of the page <input type="url" value={f.url} placeholder="https://…" size={60} onInput={set('url')} />
        </label>
        <FieldError error={error} field="input.evidence.0.document.url" />
        {!unquotable ? (
          <>
            <label class="block">
              Quote, word for word
              <textarea rows={4} value={f.quote} onInput={set('quote')} />
            </label>
            {closest ? (
              <div class="closest" role="alert">
                <p class="field-error">
                  The quote is not in the page's text. Its closest passage{error?.extensions.closestLocator ? ` (${error.extensions.closestLocator})` : ''}:
                </p>
                <blockquote class="quote">{closest}</blockquote>
                <button type="button" onClick={() => setF({ ...f, quote: closest, locator: f.locator || String(error?.extensions.closestLocator ?? '') })}>
                  Quote this passage instead
                </button>
              </div>
            ) : (
              <FieldError error={error} field="input.evidence.0.quote" />
            )}
          </>
        ) : (
          <>
            <label class="block">
              Paraphrase: what the page says, in your words
              <textarea rows={3} value={f.paraphrase} onInput={set('paraphrase')} />
            </label>
            <FieldError error={error} field="input.evidence.0.paraphrase" />
            <label>
              Why it cannot be quoted <input type="text" value={f.reason} size={50} onInput={set('reason')} />
            </label>
            <FieldError error={error} field="input.evidence.0.reason" />
          </>
        )}
        {(unfetchable || unquotable) && (
          <label class="check">
            <input type="checkbox" checked={unquotable} onChange={(e) => setUnquotable((e.target as HTMLInputElement).checked)} /> Save it as a paraphrase, marked as unchecked
          </label>
        )}
        <label>
          Where on the page (optional) <input type="text" value={f.locator} placeholder="¶4, p. 12" size={12} onInput={set('locator')} />
        </label>
      </fieldset>
      <FieldError error={error} field="input.evidence" />
      {fieldless && (
        <p class="field-error" role="alert">
          {error.message}
        </p>
      )}
      <div class="form-buttons">
        <button type="submit" disabled={busy}>
          {busy ? 'Fetching the page and checking the quote…' : 'Add the claim'}
        </button>
      </div>
    </form>
  );
}
