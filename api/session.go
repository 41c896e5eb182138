package api

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"
)

// Sign-in for browsers: an API key is checked once and exchanged for a
// session, so the key never sits in the page. The session is a random id
// in an HttpOnly, SameSite=Strict cookie; the server keeps what it stands
// for and when it ends. Every request that changes something with the
// cookie must also carry the session's CSRF token in X-CSRF-Token, which
// only a page of this site can read (from GET /session).
const (
	sessionCookie = "ew_session"
	csrfHeader    = "X-CSRF-Token"
	// SessionTTL is how long a session lasts from sign-in, whatever it
	// does meanwhile; sessions live in the server's memory, so a restart
	// also ends them.
	SessionTTL = 8 * time.Hour
	// maxSessions bounds the memory sign-ins may take; the oldest session
	// makes way for a new one.
	maxSessions = 10000
)

type session struct {
	principal Principal
	csrf      string
	expires   time.Time
}

// sessions are the signed-in browsers, by the SHA-256 of their cookie (a
// dump of the server's memory gives no usable cookie).
type sessions struct {
	mu   sync.Mutex
	byID map[[sha256.Size]byte]*session
	now  func() time.Time
}

func newSessions() *sessions {
	return &sessions{byID: map[[sha256.Size]byte]*session{}, now: time.Now}
}

func randomToken() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", err
	}
	return hex.EncodeToString(b[:]), nil
}

// start makes a session for p and returns its cookie value.
func (s *sessions) start(p Principal) (string, *session, error) {
	id, err := randomToken()
	if err != nil {
		return "", nil, err
	}
	csrf, err := randomToken()
	if err != nil {
		return "", nil, err
	}
	now := s.now()
	ss := &session{principal: p, csrf: csrf, expires: now.Add(SessionTTL)}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range s.byID {
		if now.After(v.expires) {
			delete(s.byID, k)
		}
	}
	if len(s.byID) >= maxSessions {
		var oldest [sha256.Size]byte
		first := true
		for k, v := range s.byID {
			if first || v.expires.Before(s.byID[oldest].expires) {
				oldest, first = k, false
			}
		}
		delete(s.byID, oldest)
	}
	s.byID[sha256.Sum256([]byte(id))] = ss
	return id, ss, nil
}

// find returns the live session a cookie value names.
func (s *sessions) find(id string) (*session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key := sha256.Sum256([]byte(id))
	ss, ok := s.byID[key]
	if ok && s.now().After(ss.expires) {
		delete(s.byID, key)
		return nil, false
	}
	return ss, ok
}

func (s *sessions) end(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.byID, sha256.Sum256([]byte(id)))
}

// sessionCookieFor sets (or, with a zero time, clears) the cookie.
func sessionCookieFor(r *http.Request, value string, expires time.Time) *http.Cookie {
	c := &http.Cookie{Name: sessionCookie, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode,
		// Over TLS (directly or behind a proxy that says so) the cookie
		// never travels in clear.
		Secure: r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"}
	if expires.IsZero() {
		c.MaxAge = -1
	} else {
		c.Expires = expires
	}
	return c
}

type sessionInfo struct {
	SignedIn bool   `json:"signedIn"`
	Name     string `json:"name,omitempty"`
	Role     string `json:"role,omitempty"`
	CSRF     string `json:"csrf,omitempty"`
	Expires  string `json:"expires,omitempty"`
}

func infoOf(ss *session) sessionInfo {
	return sessionInfo{SignedIn: true, Name: ss.principal.Name, Role: ss.principal.Role, CSRF: ss.csrf, Expires: ss.expires.UTC().Format(time.RFC3339)}
}

// serveSession answers /session: POST {"key": …} signs in, GET says who
// is signed in (with the CSRF token), DELETE signs out (with the token).
func (a authenticator) serveSession() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		cookie, _ := r.Cookie(sessionCookie)
		switch r.Method {
		case http.MethodGet:
			if cookie != nil {
				if ss, ok := a.sessions.find(cookie.Value); ok {
					writeJSON(w, http.StatusOK, infoOf(ss))
					return
				}
				http.SetCookie(w, sessionCookieFor(r, "", time.Time{}))
			}
			writeJSON(w, http.StatusOK, sessionInfo{})
		case http.MethodPost:
			var in struct {
				Key string `json:"key"`
			}
			if err := json.NewDecoder(io.LimitReader(r.Body, 4<<10)).Decode(&in); err != nil || in.Key == "" {
				writeError(w, http.StatusBadRequest, CodeBadInput, `send {"key": "YOUR API KEY"} as JSON`)
				return
			}
			p, ok := a.principalOf(in.Key)
			if !ok {
				writeError(w, http.StatusUnauthorized, CodeUnauthenticated, "the API key is not valid")
				return
			}
			id, ss, err := a.sessions.start(p)
			if err != nil {
				writeError(w, http.StatusInternalServerError, CodeInternal, "internal error")
				return
			}
			http.SetCookie(w, sessionCookieFor(r, id, ss.expires))
			writeJSON(w, http.StatusOK, infoOf(ss))
		case http.MethodDelete:
			if cookie == nil {
				writeJSON(w, http.StatusOK, sessionInfo{})
				return
			}
			ss, ok := a.sessions.find(cookie.Value)
			if ok && !csrfMatches(r, ss) {
				writeError(w, http.StatusForbidden, CodeForbidden, "signing out needs the session's CSRF token in "+csrfHeader)
				return
			}
			a.sessions.end(cookie.Value)
			http.SetCookie(w, sessionCookieFor(r, "", time.Time{}))
			writeJSON(w, http.StatusOK, sessionInfo{})
		default:
			w.Header().Set("Allow", "GET, POST, DELETE")
			writeError(w, http.StatusMethodNotAllowed, CodeBadInput, "/session takes GET, POST and DELETE")
		}
	})
}

func csrfMatches(r *http.Request, ss *session) bool {
	return subtle.ConstantTimeCompare([]byte(r.Header.Get(csrfHeader)), []byte(ss.csrf)) == 1
}
