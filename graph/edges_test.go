package graph

import (
	"reflect"
	"testing"

	"github.com/exportwatch/exportwatch/records"
)

func TestEdgeProps(t *testing.T) {
	tests := []struct {
		name   string
		claims []edgeClaim
		want   map[string]any // nil: the edge must go
	}{
		{name: "no claims"},
		{name: "only retracted", claims: []edgeClaim{{ID: "a", Stance: "asserts", Status: "retracted"}}},
		{
			name: "strongest status, widest dates, sorted ids",
			claims: []edgeClaim{
				{ID: "b", Stance: "asserts", Status: "reported", Confidence: 0.8, Start: "2012", Stage: "in_use", Product: "p2"},
				{ID: "a", Stance: "asserts", Status: "documented", Confidence: 0.6, Start: "2009", End: "2010", Stage: "ordered", Product: "p1"},
				{ID: "c", Stance: "asserts", Status: "retracted", Confidence: 1, Start: "1990"},
			},
			want: map[string]any{"claims": []string{"a", "b"}, "status": "documented", "confidence": 0.8, "stance": "asserts",
				"contested": false, "first": "2009", "last": "2012", "stages": []string{"in_use", "ordered"}, "products": []string{"p1", "p2"}},
		},
		{
			name: "a denial contests",
			claims: []edgeClaim{
				{ID: "a", Stance: "asserts", Status: "reported", Confidence: 0.6},
				{ID: "d", Stance: "denies", Status: "documented", Confidence: 0.9, Stage: "delivered"},
			},
			want: map[string]any{"claims": []string{"a", "d"}, "status": "reported", "confidence": 0.6, "stance": "contested",
				"contested": true, "stages": []string{}, "products": []string{}},
		},
		{
			name:   "only a denial",
			claims: []edgeClaim{{ID: "d", Stance: "denies", Status: "reported", Confidence: 0.6, End: "2020-09-15"}},
			want: map[string]any{"claims": []string{"d"}, "status": "reported", "confidence": 0.6, "stance": "denies",
				"contested": false, "last": "2020-09-15", "stages": []string{}, "products": []string{}},
		},
		{
			name: "disputed is weaker than reported",
			claims: []edgeClaim{
				{ID: "a", Stance: "asserts", Status: "disputed", Confidence: 0.6},
				{ID: "b", Stance: "asserts", Status: "reported", Confidence: 0.3},
			},
			want: map[string]any{"claims": []string{"a", "b"}, "status": "reported", "confidence": 0.6, "stance": "asserts",
				"contested": false, "stages": []string{}, "products": []string{}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := edgeProps(tt.claims)
			if ok != (tt.want != nil) || !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("edgeProps = %v, %v\nwant %v", got, ok, tt.want)
			}
		})
	}
}

func TestPairKeyIsUnambiguous(t *testing.T) {
	a := pairKey(claimOf("SUPPLIED", "a|b", "c"))
	b := pairKey(claimOf("SUPPLIED", "a", "b|c"))
	if a == b {
		t.Fatalf("pair keys collide: %s", a)
	}
}

func claimOf(rel, s, o string) records.Claim {
	return records.Claim{Relation: rel, Subject: s, Object: o}
}
