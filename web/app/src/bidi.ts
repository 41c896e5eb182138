// Text from sources may carry bidirectional controls: a right-to-left
// override (U+202E) left open reverses everything after it on the line,
// and a stray pop of an isolate (U+2069) ends the isolate an element puts
// around it (a <bdi>, unicode-bidi: isolate), so the override leaks past
// it. Every string the API answers is made self-contained here, once,
// as the briefs do on the server: stray closers dropped, openers left open
// closed at its end, and the whole wrapped in a first-strong isolate.
// Text without controls is left as it is.

const PDF = '\u202C';
const PDI = '\u2069';
const controls = /[\u202A-\u202E\u2066-\u2069]/;

export function isolate(s: string): string {
  if (!controls.test(s)) return s;
  const owed: string[] = []; // the closer each open control needs, innermost last
  let out = '\u2068';
  for (const ch of s) {
    switch (ch) {
      case '\u202A':
      case '\u202B':
      case '\u202D':
      case '\u202E':
        owed.push(PDF);
        break;
      case '\u2066':
      case '\u2067':
      case '\u2068':
        owed.push(PDI);
        break;
      case PDF:
        // It closes an embedding opened in the same isolate, or nothing.
        if (owed[owed.length - 1] !== PDF) continue;
        owed.pop();
        break;
      case PDI: {
        // It closes the innermost open isolate and all opened within it.
        const i = owed.lastIndexOf(PDI);
        if (i < 0) continue;
        out += owed.splice(i + 1).reverse().join('');
        owed.pop();
        break;
      }
    }
    out += ch;
  }
  return out + owed.reverse().join('') + PDI;
}

// isolateAll applies isolate to every string in an answer.
export function isolateAll<T>(v: T): T {
  if (typeof v === 'string') return isolate(v) as T;
  if (Array.isArray(v)) return v.map(isolateAll) as T;
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = isolateAll(x);
    return out as T;
  }
  return v;
}
