// The shapes the views read from the API, and the GraphQL fragments that
// select them, so every view asks for a claim the same way.

export interface EntityRef {
  id: string;
  name: string;
  type: string;
  country?: string | null;
}

export interface Doc {
  id: string;
  url: string;
  title?: string | null;
  publisher?: string | null;
  published?: string | null;
  retrieved?: string | null;
  sha256?: string | null;
  archive?: string | null;
  origin: string;
}

export interface Evidence {
  quote?: string | null;
  paraphrase?: string | null;
  locator?: string | null;
  unchecked?: string | null;
  document: Doc;
}

export interface Claim {
  id: string;
  relation: string;
  stance: string;
  status: string;
  confidence: number;
  start?: string | null;
  end?: string | null;
  stage?: string | null;
  value?: number | null;
  currency?: string | null;
  quantity?: string | null;
  summary?: string | null;
  list?: string | null;
  program?: string | null;
  role?: string | null;
  share?: string | null;
  subject: EntityRef;
  object: EntityRef;
  product?: EntityRef | null;
  evidence: Evidence[];
  review?: { by: string; at: string; note?: string | null } | null;
  version: number;
}

export const entityFields = `id name type country`;

export const claimFields = `id relation stance status confidence start end stage value currency quantity summary list program role share
  subject { ${entityFields} } object { ${entityFields} } product { ${entityFields} }
  evidence { quote paraphrase locator unchecked document { id url title publisher published retrieved sha256 archive origin } }
  review { by at note } version`;

// The order of statuses, strongest first, as the API ranks them.
export const statuses = ['confirmed', 'documented', 'reported', 'disputed', 'retracted'];

export const relationWords: Record<string, string> = {
  SUPPLIED: 'supplied',
  OFFERS: 'offers',
  OWNS: 'owns',
  SUBSIDIARY_OF: 'is a subsidiary of',
  OFFICER_OF: 'is an officer of',
  LOCATED_IN: 'is located in',
  PART_OF: 'is part of',
  DESIGNATED: 'was designated by',
  INVOLVED_IN: 'was involved in',
  OCCURRED_IN: 'occurred in',
  RENAMED_TO: 'was renamed to',
  ACQUIRED_BY: 'was acquired by',
};

export const relationTitles: Record<string, string> = {
  SUPPLIED: 'Supplies',
  OFFERS: 'Products offered',
  OWNS: 'Ownership',
  SUBSIDIARY_OF: 'Parents',
  OFFICER_OF: 'Officers',
  LOCATED_IN: 'Location',
  PART_OF: 'Part of',
  DESIGNATED: 'Designations',
  INVOLVED_IN: 'Involvement',
  OCCURRED_IN: 'Incidents',
  RENAMED_TO: 'Renamings',
  ACQUIRED_BY: 'Acquisitions',
};

export const typeWords: Record<string, string> = {
  Company: 'Company',
  PublicBody: 'Public body',
  Person: 'Person',
  Product: 'Product',
  Country: 'Country',
  Incident: 'Incident',
};

// contestedKeys are the (subject, relation, object) triples of claims that
// both assert and deny the same link.
export function contestedKeys(claims: Claim[]): Set<string> {
  const stances = new Map<string, Set<string>>();
  for (const c of claims) {
    if (c.status === 'retracted') continue;
    const k = `${c.subject.id}|${c.relation}|${c.object.id}`;
    if (!stances.has(k)) stances.set(k, new Set());
    stances.get(k)!.add(c.stance);
  }
  const out = new Set<string>();
  stances.forEach((s, k) => s.size > 1 && out.add(k));
  return out;
}

export function claimKey(c: Claim): string {
  return `${c.subject.id}|${c.relation}|${c.object.id}`;
}

// safeHref is a link target for a URL a source gave: only http(s), so a
// "javascript:" URL in a record is shown, never followed.
export function safeHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

export function dates(start?: string | null, end?: string | null): string {
  if (start && end) return start === end ? start : `${start} – ${end}`;
  if (start) return `from ${start}`;
  if (end) return `until ${end}`;
  return '';
}

export function money(value?: number | null, currency?: string | null): string {
  if (value == null) return '';
  if (currency && /^[A-Z]{3}$/.test(currency)) {
    try {
      return new Intl.NumberFormat('en', { style: 'currency', currency, maximumFractionDigits: 0 }).format(value);
    } catch {
      // an unknown code: shown as given
    }
  }
  return `${new Intl.NumberFormat('en').format(value)}${currency ? ' ' + currency : ''}`;
}

const regions = new Intl.DisplayNames(['en'], { type: 'region' });

// countryName is a country's English name from its ISO code ("AZ" is
// Azerbaijan), from the browser's own tables.
export function countryName(code: string): string {
  try {
    return regions.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}

// words makes a value of the model readable: "in_use" is "in use".
export function words(v: string): string {
  return v.replace(/_/g, ' ');
}
