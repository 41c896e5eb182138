// SearchBox is type-ahead over names and aliases (the API's search): the
// arrows move through the hits, Enter opens one, Escape closes the list.
// It follows the ARIA combobox pattern so screen readers announce hits.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, gql } from './gql';
import { EntityRef, typeWords } from './model';
import { entityPath, navigate } from './router';

interface Hit {
  matched: string;
  entity: EntityRef;
}

const searchQuery = `query Search($q: String!) { search(query: $q, first: 8) { matched entity { id name type country } } }`;

let nextId = 0;

// With onChoose, choosing a hit hands it over (a picker) instead of
// opening its page.
export function SearchBox({
  autofocus = false,
  label = 'Search the graph',
  onChoose,
  chosen,
  visibleLabel = false,
}: {
  autofocus?: boolean;
  label?: string;
  onChoose?: (e: EntityRef) => void;
  chosen?: string;
  visibleLabel?: boolean;
}) {
  const [id] = useState(() => `search-${nextId++}`);
  const [text, setText] = useState('');
  // The hits and the text they answer: while they answer older text,
  // the list says it is searching and Enter opens nothing.
  const [hits, setHits] = useState<Hit[]>([]);
  const [answered, setAnswered] = useState('');
  const [active, setActive] = useState(-1);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const q = text.trim();
    if (q.length < 2) {
      setHits([]);
      setAnswered('');
      setError(null);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      gql<{ search: Hit[] }>(searchQuery, { q }, ctl.signal).then(
        (d) => {
          if (ctl.signal.aborted) return;
          setHits(d.search);
          setAnswered(q);
          setActive(d.search.length > 0 ? 0 : -1);
          setOpen(true);
          setError(null);
        },
        (e: Error) => {
          if (ctl.signal.aborted || e.name === 'AbortError') return;
          setAnswered(q);
          setHits([]);
          setError(e instanceof ApiError && e.code === 'UNAVAILABLE' ? 'The database is unavailable; try again shortly.' : e.message);
        },
      );
    }, 120);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [text]);

  const choose = (h: Hit) => {
    setOpen(false);
    setText('');
    if (onChoose) onChoose(h.entity);
    else navigate(entityPath(h.entity.id));
  };

  const current = answered === text.trim() && answered !== '';
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown' && hits.length > 0) {
      e.preventDefault();
      setOpen(true);
      setActive((a) => (a + 1) % hits.length);
    } else if (e.key === 'ArrowUp' && hits.length > 0) {
      e.preventDefault();
      setActive((a) => (a <= 0 ? hits.length - 1 : a - 1));
    } else if (e.key === 'Enter' && current && open && active >= 0 && hits[active]) {
      e.preventDefault();
      choose(hits[active]);
    } else if (e.key === 'Escape') {
      setOpen(false);
    }
  };

  const showList = open && current && hits.length > 0;
  const message = text.trim().length < 2 || !open ? '' : !current ? 'Searching…' : error ? error : hits.length === 0 ? `No name or alias matches “${text.trim()}”.` : '';
  return (
    <div class="search" role="search">
      <label for={id} class={visibleLabel ? 'picker-label' : 'visually-hidden'}>
        {label}
      </label>
      <input
        id={id}
        ref={input}
        type="search"
        class="search-input"
        placeholder={chosen ?? 'Search vendors, bodies, countries, products…'}
        autocomplete="off"
        spellcheck={false}
        autofocus={autofocus}
        role="combobox"
        aria-expanded={showList}
        aria-controls={`${id}-list`}
        aria-autocomplete="list"
        aria-activedescendant={showList && active >= 0 ? `${id}-hit-${active}` : undefined}
        value={text}
        onInput={(e) => setText((e.target as HTMLInputElement).value)}
        onKeyDown={onKey}
        onFocus={() => setOpen(true)}
        onBlur={() => setTimeout(() => setOpen(false), 150)}
      />
      <p class={message ? 'search-status' : 'visually-hidden'} role="status" aria-live="polite">
        {message || (showList ? `${hits.length} ${hits.length === 1 ? 'match' : 'matches'}` : '')}
      </p>
      {showList && (
        <ul id={`${id}-list`} class="search-hits" role="listbox" aria-label="Matches" data-query={answered}>
          {hits.map((h, i) => (
            <li
              id={`${id}-hit-${i}`}
              key={h.entity.id}
              role="option"
              aria-selected={i === active}
              class={i === active ? 'hit active' : 'hit'}
              onMouseDown={(e) => {
                e.preventDefault();
                choose(h);
              }}
              onMouseEnter={() => setActive(i)}
            >
              <span class="hit-name">{h.entity.name}</span>
              <span class={`type type-${h.entity.type}`}>{typeWords[h.entity.type] ?? h.entity.type}</span>
              {h.entity.country && <span class="country-code">{h.entity.country}</span>}
              {h.matched !== h.entity.name && <span class="hit-matched">matched “{h.matched}”</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
