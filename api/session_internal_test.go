package api

import (
	"testing"
	"time"
)

// TestSessionExpiry: a session ends at its time on the server, whatever
// the browser's cookie says, and the oldest makes way when they are many.
func TestSessionExpiry(t *testing.T) {
	now := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	s := newSessions()
	s.now = func() time.Time { return now }
	id, _, err := s.start(Principal{Name: "alice", Role: RoleEditor})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := s.find(id); !ok {
		t.Fatal("a new session is not found")
	}
	now = now.Add(SessionTTL - time.Second)
	if _, ok := s.find(id); !ok {
		t.Fatal("a session ended before its time")
	}
	now = now.Add(2 * time.Second)
	if _, ok := s.find(id); ok {
		t.Fatal("a session outlived its time")
	}
	for i := range maxSessions + 5 {
		now = now.Add(time.Millisecond)
		if _, _, err := s.start(Principal{Name: "bulk", Role: RoleReader}); err != nil {
			t.Fatal(i, err)
		}
	}
	if len(s.byID) > maxSessions {
		t.Fatalf("%d sessions kept, more than %d", len(s.byID), maxSessions)
	}
}
