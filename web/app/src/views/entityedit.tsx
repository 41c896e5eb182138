// An editor's changes to an entity: its display name, names, identifiers
// (checked by the server against their schemes' rules), country and
// description, saved as one audited edit of the version the editor read.
import { useState } from 'preact/hooks';
import { changed } from '../data';
import { ApiError, asApiError, gql } from '../gql';
import { FieldError } from '../components';

interface Identifier {
  scheme: string;
  value: string;
}

export interface Editable {
  id: string;
  name: string;
  type: string;
  aliases: string[];
  identifiers: Identifier[];
  country?: string | null;
  description?: string | null;
  version: number;
}

const editMutation = `mutation Edit($id: ID!, $edit: EntityEditInput!, $version: Int) { editEntity(id: $id, edit: $edit, version: $version) { id version } }`;

const schemes = ['lei', 'cik', 'registry', 'wikidata', 'uei', 'duns', 'ogrn', 'inn'];

export default function EntityEditor({ e, onDone }: { e: Editable; onDone: () => void }) {
  // What the editor was shown when the form opened: only fields changed
  // from it are sent, so a retry after a conflict does not put back what
  // the other editor changed in fields this one left alone.
  const [read] = useState(e);
  const [name, setName] = useState(e.name);
  const [drop, setDrop] = useState<Set<string>>(new Set());
  const [dropIds, setDropIds] = useState<Set<string>>(new Set());
  const [alias, setAlias] = useState('');
  const [scheme, setScheme] = useState('lei');
  const [value, setValue] = useState('');
  const [country, setCountry] = useState(e.country ?? '');
  const [description, setDescription] = useState(e.description ?? '');
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const toggle = (s: Set<string>, set: (s: Set<string>) => void, v: string) => {
    const n = new Set(s);
    if (n.has(v)) n.delete(v);
    else n.add(v);
    set(n);
  };
  const save = async (ev: Event) => {
    ev.preventDefault();
    const edit: Record<string, unknown> = {};
    if (name.trim() !== read.name) edit.name = name.trim();
    if (alias.trim()) edit.addAliases = [alias.trim()];
    if (drop.size) edit.removeAliases = [...drop];
    if (value.trim()) edit.addIdentifiers = [{ scheme, value: value.trim() }];
    if (dropIds.size) edit.removeIdentifiers = [...dropIds];
    if (read.type !== 'Country' && country.trim().toUpperCase() !== (read.country ?? '')) edit.country = country.trim().toUpperCase();
    if (description.trim() !== (read.description ?? '')) edit.description = description.trim();
    if (Object.keys(edit).length === 0) {
      setError(new ApiError('BAD_INPUT', 'Nothing was changed.'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await gql(editMutation, { id: e.id, edit, version: e.version });
      changed();
      onDone();
    } catch (err) {
      const ae = asApiError(err);
      setError(ae);
      // Someone else's edit came first: the page shows theirs, and this
      // form keeps what was typed for a second look.
      if (ae.code === 'CONFLICT') changed();
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="entity-editor" onSubmit={save} noValidate aria-label={`Edit ${e.name}`}>
      <label>
        Display name <input type="text" value={name} size={40} onInput={(ev) => setName((ev.target as HTMLInputElement).value)} />
      </label>
      <FieldError error={error} field="edit.name" />
      <fieldset>
        <legend>Names (tick to remove)</legend>
        {e.aliases
          .filter((a) => a !== e.name)
          .map((a) => (
            <label key={a} class="check">
              <input type="checkbox" checked={drop.has(a)} onChange={() => toggle(drop, setDrop, a)} /> {a}
            </label>
          ))}
        <label>
          Add a name <input type="text" value={alias} size={30} onInput={(ev) => setAlias((ev.target as HTMLInputElement).value)} />
        </label>
        <FieldError error={error} field="edit.addAliases.0" />
        <FieldError error={error} field="edit.removeAliases" />
      </fieldset>
      <fieldset>
        <legend>Identifiers (tick to remove)</legend>
        {e.identifiers.map((i) => (
          <label key={i.scheme + i.value} class="check">
            <input type="checkbox" checked={dropIds.has(`${i.scheme}:${i.value}`)} onChange={() => toggle(dropIds, setDropIds, `${i.scheme}:${i.value}`)} /> {i.scheme} {i.value}
          </label>
        ))}
        <label>
          Add{' '}
          <select value={scheme} onChange={(ev) => setScheme((ev.target as HTMLSelectElement).value)} aria-label="Identifier scheme">
            {schemes.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>{' '}
          <input type="text" value={value} size={24} aria-label="Identifier value" placeholder={scheme === 'registry' ? 'RA000585/01234567' : ''} onInput={(ev) => setValue((ev.target as HTMLInputElement).value)} />
        </label>
        <FieldError error={error} field="edit.addIdentifiers.0" />
        <FieldError error={error} field="edit.removeIdentifiers" />
      </fieldset>
      {e.type !== 'Country' && (
        <>
          <label>
            Country (ISO code) <input type="text" value={country} size={3} maxLength={2} onInput={(ev) => setCountry((ev.target as HTMLInputElement).value.toUpperCase())} />
          </label>
          <FieldError error={error} field="edit.country" />
        </>
      )}
      <label class="block">
        Description
        <textarea rows={3} value={description} onInput={(ev) => setDescription((ev.target as HTMLTextAreaElement).value)} />
      </label>
      {error && !error.extensions.field && (
        <p class="field-error" role="alert">
          {error.message}
        </p>
      )}
      {error?.extensions.field === 'edit' && (
        <p class="field-error" role="alert">
          {error.message}
        </p>
      )}
      <div class="form-buttons">
        <button type="submit" disabled={busy}>
          Save the changes
        </button>
        <button type="button" class="linklike" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
