package graph_test

import (
	"context"
	"slices"
	"testing"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/graph/graphtest"
	"github.com/exportwatch/exportwatch/records"
)

// TestWriteRacesAnotherLoad: another load creates a document and an entity
// after this write has read that they are missing and before it creates
// them. The write must neither fail nor lose what either side said.
func TestWriteRacesAnotherLoad(t *testing.T) {
	s := graphtest.Store(t)
	ctx := context.Background()
	url := "https://news.example/race"
	ours := records.Document{ID: records.DocumentID(url), URL: url, Title: "Ours", Origin: records.OriginCurated}
	theirs := records.Document{ID: ours.ID, URL: url, Publisher: "Theirs", Origin: records.OriginCurated}
	ent := records.Entity{ID: "company:race", Schema: records.SchemaCompany, Names: []string{"Race Ltd"}, Country: "CA"}
	other := records.Entity{ID: ent.ID, Schema: records.SchemaCompany, Names: []string{"Race Limited"}}

	raced := false
	defer graph.SetBeforeCreate(func() {
		if raced {
			return
		}
		raced = true
		if _, err := s.WriteDocuments(ctx, []records.Document{theirs}); err != nil {
			t.Error(err)
		}
		if _, err := s.WriteEntities(ctx, []records.Entity{other}); err != nil {
			t.Error(err)
		}
	})()
	if st, err := s.WriteDocuments(ctx, []records.Document{ours}); err != nil || st.Written != 1 {
		t.Fatalf("document: %+v, %v", st, err)
	}
	if !raced {
		t.Fatal("the race did not happen")
	}
	docs, err := s.DocumentsByID(ctx, []string{ours.ID})
	if err != nil || docs[ours.ID].Title != "Ours" || docs[ours.ID].Publisher != "Theirs" {
		t.Fatalf("document after the race: %+v, %v", docs, err)
	}

	raced = false
	if _, err := s.WriteEntities(ctx, []records.Entity{ent}); err != nil {
		t.Fatalf("entity: %v", err)
	}
	e, err := s.Entity(ctx, ent.ID)
	if err != nil || e.Name != "Race Limited" || !slices.Contains(e.Aliases, "Race Ltd") || e.Country != "CA" {
		t.Fatalf("entity after the race: %+v, %v", e, err)
	}
}
