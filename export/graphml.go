package export

import (
	"bufio"
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/exportwatch/exportwatch/graph"
)

// GraphML is the XML graph format Gephi, Cytoscape, yEd and networkx
// read: the entities as nodes and the direct edges as directed edges, each
// with its attributes declared up front. Claims and documents stay out (a
// network tool has no use for them), but each edge lists its claim ids so
// the evidence can be looked up.

// graphmlKey declares one attribute.
type graphmlKey struct{ id, domain, name, kind string }

var graphmlKeys = []graphmlKey{
	{"n_schema", "node", "schema", "string"}, {"n_name", "node", "name", "string"},
	{"n_aliases", "node", "aliases", "string"}, {"n_country", "node", "country", "string"},
	{"n_kind", "node", "kind", "string"}, {"n_identifiers", "node", "identifiers", "string"},
	{"n_capabilities", "node", "capabilities", "string"}, {"n_start", "node", "start", "string"},
	{"n_end", "node", "end", "string"}, {"n_description", "node", "description", "string"},
	{"e_relation", "edge", "relation", "string"}, {"e_status", "edge", "status", "string"},
	{"e_contested", "edge", "contested", "boolean"}, {"e_confidence", "edge", "confidence", "double"},
	{"e_first", "edge", "first", "string"}, {"e_last", "edge", "last", "string"},
	{"e_stages", "edge", "stages", "string"}, {"e_claims", "edge", "claims", "string"},
	{"e_claim_count", "edge", "claim_count", "int"},
}

// xmlText escapes text for XML and drops what XML 1.0 cannot carry at all
// (most control characters), which scraped text sometimes holds.
func xmlText(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r == '\t' || r == '\n' || r == '\r' || (r >= 0x20 && r <= 0xD7FF) || (r >= 0xE000 && r <= 0xFFFD) || (r >= 0x10000 && r <= 0x10FFFF) {
			b.WriteRune(r)
		} else {
			b.WriteRune('\uFFFD')
		}
	}
	var out strings.Builder
	xml.EscapeText(&out, []byte(b.String()))
	return out.String()
}

func writeGraphML(ctx context.Context, src Source, out io.Writer) (Stats, error) {
	var st Stats
	bw := bufio.NewWriterSize(out, 64<<10)
	bw.WriteString(xml.Header)
	bw.WriteString(`<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">` + "\n")
	for _, k := range graphmlKeys {
		fmt.Fprintf(bw, `  <key id="%s" for="%s" attr.name="%s" attr.type="%s"/>`+"\n", k.id, k.domain, k.name, k.kind)
	}
	bw.WriteString(`  <graph id="exportwatch" edgedefault="directed">` + "\n")
	data := func(key, v string) {
		if v != "" {
			fmt.Fprintf(bw, `      <data key="%s">%s</data>`+"\n", key, xmlText(v))
		}
	}
	err := src.EachEntity(ctx, func(e graph.Entity) error {
		st.Entities++
		fmt.Fprintf(bw, `    <node id="%s">`+"\n", xmlText(e.ID))
		data("n_schema", e.Schema)
		data("n_name", e.Name)
		data("n_aliases", strings.Join(e.Aliases, "; "))
		data("n_country", e.Country)
		data("n_kind", e.Kind)
		data("n_identifiers", identifierText(e.Identifiers))
		data("n_capabilities", strings.Join(e.Capabilities, "; "))
		data("n_start", e.Start)
		data("n_end", e.End)
		data("n_description", e.Description)
		_, err := bw.WriteString("    </node>\n")
		return err
	})
	if err != nil {
		return st, err
	}
	err = src.EachEdge(ctx, func(e graph.Edge) error {
		st.Edges++
		fmt.Fprintf(bw, `    <edge id="e%d" source="%s" target="%s">`+"\n", st.Edges, xmlText(e.From), xmlText(e.To))
		data("e_relation", e.Type)
		data("e_status", e.Status)
		data("e_contested", strconv.FormatBool(e.Contested))
		data("e_confidence", strconv.FormatFloat(e.Confidence, 'f', -1, 64))
		data("e_first", e.First)
		data("e_last", e.Last)
		data("e_stages", strings.Join(e.Stages, "; "))
		data("e_claims", strings.Join(e.Claims, " "))
		data("e_claim_count", strconv.Itoa(len(e.Claims)))
		_, err := bw.WriteString("    </edge>\n")
		return err
	})
	if err != nil {
		return st, err
	}
	bw.WriteString("  </graph>\n</graphml>\n")
	if err := bw.Flush(); err != nil {
		return st, fmt.Errorf("write graphml: %w", err)
	}
	return st, nil
}
