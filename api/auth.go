package api

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// Roles an API key can have.
const (
	RoleReader = "reader"
	RoleEditor = "editor"
)

// Key is one configured API key. Only the SHA-256 of the key is kept, so a
// leaked configuration does not leak the keys.
type Key struct {
	Name string
	Role string
	Hash [sha256.Size]byte
}

// ParseKeys reads EXPORTWATCH_API_KEYS: comma-separated name:role:sha256hex
// entries, as `exportwatch apikey` prints them.
func ParseKeys(s string) ([]Key, error) {
	var keys []Key
	for _, entry := range strings.Split(s, ",") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		parts := strings.Split(entry, ":")
		if len(parts) != 3 {
			return nil, fmt.Errorf("API key entry %q: want name:role:sha256", entry)
		}
		if parts[1] != RoleReader && parts[1] != RoleEditor {
			return nil, fmt.Errorf("API key %s: role %q is not reader or editor", parts[0], parts[1])
		}
		h, err := hex.DecodeString(parts[2])
		if err != nil || len(h) != sha256.Size {
			return nil, fmt.Errorf("API key %s: the hash must be 64 hex digits (the SHA-256 of the key)", parts[0])
		}
		k := Key{Name: parts[0], Role: parts[1]}
		copy(k.Hash[:], h)
		keys = append(keys, k)
	}
	return keys, nil
}

// NewKey makes a random key and its configuration entry.
func NewKey(name, role string) (key, entry string, err error) {
	if name == "" || strings.ContainsAny(name, ":,") {
		return "", "", fmt.Errorf("key name %q: must be non-empty without ':' or ','", name)
	}
	if role != RoleReader && role != RoleEditor {
		return "", "", fmt.Errorf("role %q: want reader or editor", role)
	}
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", "", err
	}
	key = "ew_" + hex.EncodeToString(b[:])
	sum := sha256.Sum256([]byte(key))
	return key, name + ":" + role + ":" + hex.EncodeToString(sum[:]), nil
}

// Principal is who a request acts as.
type Principal struct {
	Name string // "anonymous" without a key
	Role string
}

type principalKey struct{}

func principalFrom(ctx context.Context) Principal {
	p, _ := ctx.Value(principalKey{}).(Principal)
	return p
}

// Auth says who may do what.
type Auth struct {
	Keys []Key
	// AnonymousRead lets requests without a key read.
	AnonymousRead bool
}

// authenticator is Auth with the server's signed-in browsers.
type authenticator struct {
	Auth
	sessions *sessions
}

// principalOf checks a key against every configured key, each in constant
// time, so timing tells nothing about which bytes matched.
func (a Auth) principalOf(key string) (Principal, bool) {
	sum := sha256.Sum256([]byte(key))
	p, found := Principal{}, false
	for _, k := range a.Keys {
		if subtle.ConstantTimeCompare(sum[:], k.Hash[:]) == 1 {
			p, found = Principal{Name: k.Name, Role: k.Role}, true
		}
	}
	return p, found
}

// authenticate resolves the request to a principal: its key
// (Authorization: Bearer KEY or X-API-Key: KEY), else its session cookie,
// else anonymous. A wrong key is refused outright rather than treated as
// anonymous, so a typo is noticed; so is an ended session, whose cookie is
// cleared. A request with the cookie that may change something (any
// method but GET and HEAD) must carry the session's CSRF token.
func (a authenticator) authenticate(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("X-API-Key")
		if h := r.Header.Get("Authorization"); key == "" && strings.HasPrefix(h, "Bearer ") {
			key = strings.TrimSpace(strings.TrimPrefix(h, "Bearer "))
		}
		p := Principal{Name: "anonymous"}
		cookie, _ := r.Cookie(sessionCookie)
		switch {
		case key != "":
			var found bool
			if p, found = a.principalOf(key); !found {
				writeError(w, http.StatusUnauthorized, CodeUnauthenticated, "the API key is not valid")
				return
			}
		case cookie != nil && a.sessions != nil:
			ss, ok := a.sessions.find(cookie.Value)
			if !ok {
				http.SetCookie(w, sessionCookieFor(r, "", time.Time{}))
				writeError(w, http.StatusUnauthorized, CodeUnauthenticated, "the session has ended; sign in again")
				return
			}
			if r.Method != http.MethodGet && r.Method != http.MethodHead && !csrfMatches(r, ss) {
				writeError(w, http.StatusForbidden, CodeForbidden, "a request with the session cookie needs the session's CSRF token in "+csrfHeader)
				return
			}
			p = ss.principal
		case a.AnonymousRead:
			p.Role = RoleReader
		default:
			writeError(w, http.StatusUnauthorized, CodeUnauthenticated, "an API key is required (Authorization: Bearer KEY)")
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), principalKey{}, p)))
	})
}

// requireEditor refuses a mutation to anyone but an editor.
func requireEditor(ctx context.Context) (Principal, error) {
	p := principalFrom(ctx)
	switch {
	case p.Role == RoleEditor:
		return p, nil
	case p.Name == "anonymous":
		return p, codedError{CodeUnauthenticated, "changes need an API key with the editor role"}
	default:
		return p, codedError{CodeForbidden, fmt.Sprintf("key %q has the %s role; changes need an editor key", p.Name, p.Role)}
	}
}

func writeError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"errors": []map[string]any{{"message": msg, "extensions": map[string]string{"code": code}}}})
}
