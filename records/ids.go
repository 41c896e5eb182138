package records

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"sort"
	"strings"
)

// Ids are hashes of canonical content, so the same fact from the same
// document gets the same id on every run and a re-load merges instead of
// duplicating. They are prefixed with their kind to stay readable in Cypher
// and logs.

// HashOf is the hash ids are made of: of the JSON of parts, so
// ("ab", "c") and ("a", "bc") differ.
func HashOf(parts ...any) string {
	b, err := json.Marshal(parts)
	if err != nil {
		// Only strings and string slices are hashed; Marshal cannot fail.
		panic(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:10])
}

// CanonicalURL normalises what does not change the resource: scheme and host
// case, default ports, the fragment, an empty path.
func CanonicalURL(raw string) string {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return strings.TrimSpace(raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	host := strings.ToLower(u.Host)
	host = strings.TrimSuffix(host, ":80")
	if u.Scheme == "https" {
		host = strings.TrimSuffix(host, ":443")
	}
	u.Host = host
	u.Fragment = ""
	u.RawFragment = ""
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

// DocumentID is the id of the document at a URL. A later fetch of the same
// URL updates that document's hash and archive rather than adding a new one.
func DocumentID(rawURL string) string {
	return "doc:" + HashOf(CanonicalURL(rawURL))
}

// IdentifierSchemes ranks the identifier schemes by how reliably they
// name one legal entity; the first present decides a derived id.
var IdentifierSchemes = []string{"lei", "cik", "uei", "registry", "wikidata", "duns", "ogrn", "inn"}

func nameKey(name string) string {
	return strings.Join(strings.Fields(strings.ToLower(name)), " ")
}

// EntityID is the graph id of an entity record: its explicit id, a country's
// code, its strongest identifier, or else a hash of schema, name and country.
func EntityID(e Entity) string {
	if e.ID != "" {
		return e.ID
	}
	prefix := strings.ToLower(e.Schema)
	if e.Schema == SchemaCountry && e.Country != "" {
		return "country:" + e.Country
	}
	for _, scheme := range IdentifierSchemes {
		if v := strings.TrimSpace(e.Identifiers[scheme]); v != "" {
			return prefix + ":" + scheme + ":" + strings.ToLower(v)
		}
	}
	name := ""
	if len(e.Names) > 0 {
		name = nameKey(e.Names[0])
	}
	return prefix + ":" + HashOf(e.Schema, name, e.Country, e.Start)
}

// ClaimID is the id of a claim whose subject, object and product are already
// resolved to graph ids. Status, confidence, quotes and summary are left out:
// an editor's review or a better quote changes the claim, not its identity.
func ClaimID(c Claim, subject, object, product string) string {
	if c.ID != "" {
		return c.ID
	}
	docs := make([]string, 0, len(c.Evidence))
	for _, ev := range c.Evidence {
		docs = append(docs, ev.Document)
	}
	sort.Strings(docs)
	stance := c.Stance
	if stance == "" {
		stance = StanceAsserts
	}
	return "claim:" + HashOf(c.Relation, subject, object, stance, c.Start, c.End, c.Stage, product,
		c.Role, c.List, c.Program, strings.Join(docs, " "))
}

// IdentifierList writes identifiers as "scheme:value", sorted: the form
// the graph stores them in and exports print.
func IdentifierList(ids map[string]string) []string {
	out := make([]string, 0, len(ids))
	for scheme, v := range ids {
		out = append(out, scheme+":"+v)
	}
	sort.Strings(out)
	return out
}
