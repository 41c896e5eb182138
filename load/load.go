// Package load reads record files into the graph. It validates the whole
// file before writing anything (every line on its own, then every reference
// between lines and into the graph), then writes documents and entities, then
// claims, in batches that each commit on their own. Every write merges by
// deterministic id, so a load that dies half-way is finished by running it
// again, and loading a file twice changes nothing.
package load

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"log/slog"
	"maps"
	"os"
	"slices"
	"strings"
	"sync"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
)

// Options tune a load.
type Options struct {
	// SkipInvalid writes the valid lines and puts the invalid ones in
	// FILE.rejects.jsonl; without it an invalid line stops the load before
	// anything is written.
	SkipInvalid bool
	BatchSize   int
	Log         *slog.Logger
	// AfterBatch, when set, runs after each committed batch; tests use it to
	// kill a load between batches.
	AfterBatch func(kind string, n int)
}

// Summary says what a load did.
type Summary struct {
	File      string
	Lines     int
	Documents graph.Stats
	Entities  graph.Stats
	Claims    graph.Stats
	// Suggestions are claims an extractor read but did not assert, kept
	// for an editor.
	Suggestions graph.Stats
	// Resolved counts the new entity records taken as an entity already
	// there; Queued the judgements they left for review.
	Resolved, Queued int
	Rejected         int
	RejectsFile      string
	Problems         []*records.LineError
}

func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %d lines\n", s.File, s.Lines)
	fmt.Fprintf(&b, "  documents  written %d, unchanged %d\n", s.Documents.Written, s.Documents.Unchanged)
	fmt.Fprintf(&b, "  entities   written %d, unchanged %d\n", s.Entities.Written, s.Entities.Unchanged)
	fmt.Fprintf(&b, "  claims     written %d, unchanged %d\n", s.Claims.Written, s.Claims.Unchanged)
	if s.Suggestions != (graph.Stats{}) {
		fmt.Fprintf(&b, "  suggested  written %d, unchanged %d (for an editor: exportwatch review --suggestions)\n", s.Suggestions.Written, s.Suggestions.Unchanged)
	}
	fmt.Fprintf(&b, "  resolved   %d as entities already known, %d queued for review\n", s.Resolved, s.Queued)
	fmt.Fprintf(&b, "  rejected   %d", s.Rejected)
	if s.RejectsFile != "" {
		fmt.Fprintf(&b, " (in %s)", s.RejectsFile)
	}
	return b.String()
}

// ErrInvalid is returned (wrapped) when a file has invalid lines and
// SkipInvalid is off: nothing was written, and Summary.Problems lists them.
var ErrInvalid = errors.New("invalid records")

// loadPlan is what validation learns about a file: which lines are bad and
// how each entity ref resolves to a graph id.
type loadPlan struct {
	// kind is the record type of each valid line ('d', 'e' or 'c'), indexed
	// by line number, so later passes parse only the lines they write.
	kind []byte
	bad  map[int]*records.LineError
	refs map[string]string // entity ref or id in this file → graph id
	docs map[string]bool   // document ids defined in this file
	// redirect maps the ids, among those the file names, that were merged
	// into another entity to the survivor. Claim ids are still derived
	// from the ids the file names, so a re-load finds the same claims.
	redirect map[string]string
	// stat is the file as validated; a later pass refuses a file that has
	// changed since, rather than write lines nobody checked.
	stat os.FileInfo
	// resolutions are what resolution decided for the file's new
	// entities; its Same ones are in redirect too.
	resolutions []graph.Resolution
	// created holds the ids of the entities this load creates: no claim
	// in the graph can name them yet.
	created map[string]bool
}

// survivor follows a merge: a merged id names the entity it was merged
// into.
func (p *loadPlan) survivor(id string) string {
	if to, ok := p.redirect[id]; ok {
		return to
	}
	return id
}

// File loads one record file.
func File(ctx context.Context, store *graph.Store, path string, opt Options) (Summary, error) {
	if opt.BatchSize <= 0 {
		opt.BatchSize = 1000
	}
	if opt.Log == nil {
		opt.Log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	sum := Summary{File: path}
	p, lines, err := planLoad(ctx, store, path)
	if err != nil {
		return sum, err
	}
	sum.Lines = lines
	for n := 1; n <= lines; n++ {
		if le := p.bad[n]; le != nil {
			sum.Problems = append(sum.Problems, le)
		}
	}
	sum.Rejected = len(sum.Problems)
	if sum.Rejected > 0 {
		if !opt.SkipInvalid {
			return sum, fmt.Errorf("%s: %d invalid lines, nothing written (use --skip-invalid to load the rest): %w", path, sum.Rejected, ErrInvalid)
		}
		sum.RejectsFile = path + ".rejects.jsonl"
		if err := writeRejects(path, sum.RejectsFile, sum.Problems); err != nil {
			return sum, err
		}
	}
	for _, r := range p.resolutions {
		if r.Same {
			sum.Resolved++
		} else {
			sum.Queued++
		}
	}
	if err := store.WriteResolutions(ctx, p.resolutions); err != nil {
		return sum, fmt.Errorf("%s: %w", path, err)
	}
	if err := loadNodes(ctx, store, path, p, opt, &sum); err != nil {
		return sum, err
	}
	if err := loadClaims(ctx, store, path, p, opt, &sum); err != nil {
		return sum, err
	}
	if err := loadSuggestions(ctx, store, path, p, opt, &sum); err != nil {
		return sum, err
	}
	return sum, nil
}

// each streams the file's valid records of the given kinds to fn.
func each(path string, p *loadPlan, kinds string, fn func(records.Line) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	defer f.Close()
	if st, err := f.Stat(); err != nil {
		return fmt.Errorf("stat %s: %w", path, err)
	} else if st.Size() != p.stat.Size() || !st.ModTime().Equal(p.stat.ModTime()) {
		return fmt.Errorf("%s changed while it was being loaded; load it again", path)
	}
	rd := records.NewReader(f, path)
	rd.Skip = func(n int) bool {
		return n >= len(p.kind) || p.kind[n] == 0 || !strings.ContainsRune(kinds, rune(p.kind[n])) || p.bad[n] != nil
	}
	for {
		line, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		var le *records.LineError
		if errors.As(err, &le) {
			continue // already reported by validate
		}
		if err != nil {
			return err
		}
		if err := fn(line); err != nil {
			return err
		}
	}
}

// planLoad validates a file and plans its load, in four steps: parse every
// line, find the references the file does not resolve itself, look them
// up in the graph, and resolve the file's new entities. It returns the
// plan and the file's number of lines.
func planLoad(ctx context.Context, store *graph.Store, path string) (*loadPlan, int, error) {
	p, f, err := parse(path)
	if err != nil {
		return nil, 0, err
	}
	outside := p.outsideRefs(f)
	if err := p.lookUp(ctx, store, f, outside); err != nil {
		return nil, 0, fmt.Errorf("check references of %s: %w", path, err)
	}
	if err := p.resolveEntities(ctx, store, f); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	return p, f.lines, nil
}

// parsed is what parse keeps of a file for the later steps: small, since
// it is held for every line.
type parsed struct {
	path  string
	lines int
	// xrefs are what entity and claim lines refer to, in file order.
	xrefs []xref
	// entities are the entity records, for resolution.
	entities []resolvable
}

type xref struct {
	line             int
	entity, document string // an entity line: its id and document
	subject, object  string // a claim line: its refs
	product          string
	evidence         []string
}

// outsideRef is a reference to something the file does not hold, to be
// looked up in the graph.
type outsideRef struct {
	line  int
	what  string
	id    string
	label string
}

// seenAt is where a document or claim id was first defined in a file, and
// a hash of what that line said.
type seenAt struct {
	line int
	sum  uint64
}

// contentSum hashes a parsed record, so two lines that say the same thing
// in other spacing or key order hash alike.
func contentSum(v any) uint64 {
	b, err := json.Marshal(v)
	if err != nil {
		return 0 // a parsed record always marshals
	}
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

// parse reads every line: each one valid on its own or marked bad, the
// documents and entity refs the file defines, and what its lines refer to.
// A document or claim id defined twice with different content is a bad
// line naming the first: the writer would keep whichever came last.
func parse(path string) (*loadPlan, *parsed, error) {
	p := &loadPlan{bad: map[int]*records.LineError{}, refs: map[string]string{}, docs: map[string]bool{}}
	f := &parsed{path: path}
	seen := map[string]seenAt{}
	once := func(kind, id string, line int, v any) {
		sum := contentSum(v)
		switch prev, ok := seen[id]; {
		case !ok:
			seen[id] = seenAt{line: line, sum: sum}
		case prev.sum != sum:
			p.markBad(lineErr(path, line, fmt.Sprintf("%s %s is also on line %d, saying something else; one of the two is wrong", kind, id, prev.line)))
		}
	}
	file, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("open %s: %w", path, err)
	}
	defer file.Close()
	if p.stat, err = file.Stat(); err != nil {
		return nil, nil, fmt.Errorf("stat %s: %w", path, err)
	}
	rd := records.NewReader(file, path)
	for {
		line, err := rd.Next()
		if errors.Is(err, io.EOF) {
			return p, f, nil
		}
		var le *records.LineError
		if errors.As(err, &le) {
			p.markBad(le)
			f.lines = le.Line
			continue
		}
		if err != nil {
			return nil, nil, err
		}
		f.lines = line.Num
		for len(p.kind) <= line.Num {
			p.kind = append(p.kind, 0)
		}
		switch {
		case line.Document != nil:
			p.kind[line.Num] = 'd'
			id := line.Document.ID
			if id == "" {
				id = records.DocumentID(line.Document.URL)
			}
			p.docs[id] = true
			d := *line.Document
			d.ID = id
			once("document", id, line.Num, d)
		case line.Entity != nil:
			p.kind[line.Num] = 'e'
			e := line.Entity
			id := records.EntityID(*e)
			for _, key := range []string{e.Ref, id} {
				if key == "" {
					continue
				}
				if prev, ok := p.refs[key]; ok && prev != id {
					p.markBad(lineErr(path, line.Num, fmt.Sprintf("ref %q already names entity %s in this file", key, prev)))
				}
				p.refs[key] = id
			}
			f.xrefs = append(f.xrefs, xref{line: line.Num, entity: id, document: e.Document})
			f.entities = append(f.entities, resolvable{Entity: records.Entity{ID: id, Schema: e.Schema, Names: e.Names, Country: e.Country,
				Identifiers: e.Identifiers, Kind: e.Kind}, Explicit: e.ID != "", line: line.Num})
		case line.Claim != nil:
			p.kind[line.Num] = 'c'
			c := line.Claim
			// The id the claim gets from its refs as written; two lines
			// that give one claim must agree on the rest.
			once("claim", records.ClaimID(*c, c.Subject, c.Object, c.Product), line.Num, c)
			x := xref{line: line.Num, subject: c.Subject, object: c.Object, product: c.Product}
			for _, ev := range c.Evidence {
				x.evidence = append(x.evidence, ev.Document)
			}
			f.xrefs = append(f.xrefs, x)
		case line.Suggestion != nil:
			p.kind[line.Num] = 's'
			sg := line.Suggestion
			once("suggestion", records.SuggestionID(*sg), line.Num, sg)
			// A party the graph knows must be there; one named only by
			// the page becomes an entity when an editor accepts it.
			f.xrefs = append(f.xrefs, xref{line: line.Num, subject: sg.Subject.ID, object: sg.Object.ID,
				evidence: []string{sg.Evidence.Document}})
		}
	}
}

// outsideRefs returns the references that the file does not resolve
// itself: entities and documents it names without defining them.
func (p *loadPlan) outsideRefs(f *parsed) []outsideRef {
	var outside []outsideRef
	for _, x := range f.xrefs {
		if x.entity != "" {
			if x.document != "" && !p.docs[x.document] {
				outside = append(outside, outsideRef{x.line, "document", x.document, "Document"})
			}
			continue
		}
		for _, ref := range []struct{ what, v string }{{"subject", x.subject}, {"object", x.object}, {"product", x.product}} {
			if ref.v != "" && p.refs[ref.v] == "" {
				outside = append(outside, outsideRef{x.line, ref.what, ref.v, "Entity"})
			}
		}
		for _, d := range x.evidence {
			if !p.docs[d] {
				outside = append(outside, outsideRef{x.line, "evidence document", d, "Document"})
			}
		}
	}
	return outside
}

// lookUp asks the graph about the file's entities and the references it
// does not hold: which ids were merged into another entity, and which
// outside references exist. One that does not is a bad line.
func (p *loadPlan) lookUp(ctx context.Context, store *graph.Store, f *parsed, outside []outsideRef) error {
	var ents, docs []string
	for _, r := range outside {
		if r.label == "Entity" {
			ents = append(ents, r.id)
		} else {
			docs = append(docs, r.id)
		}
	}
	named := slices.Compact(slices.Sorted(maps.Values(p.refs)))
	var err error
	if p.redirect, err = store.Redirects(ctx, append(named, ents...)); err != nil {
		return err
	}
	if len(outside) == 0 {
		return nil
	}
	haveEnt, err := store.ExistingIDs(ctx, "Entity", ents)
	if err != nil {
		return err
	}
	haveDoc, err := store.ExistingIDs(ctx, "Document", docs)
	if err != nil {
		return err
	}
	for _, r := range outside {
		if r.label == "Entity" && (haveEnt[r.id] || p.redirect[r.id] != "") {
			p.refs[r.id] = r.id
			continue
		}
		if r.label == "Document" && haveDoc[r.id] {
			p.docs[r.id] = true
			continue
		}
		where := "an entity ref in this file"
		if r.label == "Document" {
			where = "a document in this file"
		}
		p.markBad(lineErr(f.path, r.line, fmt.Sprintf("%s %q is neither %s nor in the graph", r.what, r.id, where)))
	}
	return nil
}

// resolveEntities forgets the refs of entities on bad lines, resolves the
// file's valid new entities (resolveOnLoad), then marks the claims that
// can no longer be written: those whose subject, object or product is on
// a bad line, and those whose two ends were merged into one entity.
func (p *loadPlan) resolveEntities(ctx context.Context, store *graph.Store, f *parsed) error {
	// A claim whose subject or object is on a bad line must not be written
	// on its own: drop it too, saying why.
	badEntity := map[string]bool{}
	for _, x := range f.xrefs {
		if x.entity != "" && p.bad[x.line] != nil {
			badEntity[x.entity] = true
		}
	}
	if len(badEntity) > 0 {
		for k, v := range p.refs {
			if badEntity[v] {
				delete(p.refs, k)
			}
		}
	}
	valid := slices.DeleteFunc(f.entities, func(e resolvable) bool { return p.bad[e.line] != nil })
	var err error
	if p.resolutions, err = resolveOnLoad(ctx, store, p, valid); err != nil {
		return err
	}
	for _, x := range f.xrefs {
		if x.entity != "" || p.bad[x.line] != nil {
			continue
		}
		for _, ref := range []string{x.subject, x.object, x.product} {
			if ref != "" && p.refs[ref] == "" {
				p.markBad(lineErr(f.path, x.line, fmt.Sprintf("refers to %q, whose entity line is invalid", ref)))
			}
		}
		if s, o := p.refs[x.subject], p.refs[x.object]; p.bad[x.line] == nil && s != o && p.survivor(s) == p.survivor(o) {
			p.markBad(lineErr(f.path, x.line, fmt.Sprintf("subject %s and object %s were merged into one entity, %s: the claim would link it to itself",
				s, o, p.survivor(s))))
		}
	}
	return nil
}

// markBad notes what is wrong with a line; a line can be wrong in several
// ways, and all of them are said at once.
func (p *loadPlan) markBad(le *records.LineError) {
	if prev := p.bad[le.Line]; prev != nil {
		prev.Reason += "; " + le.Reason
		return
	}
	p.bad[le.Line] = le
}

func lineErr(path string, line int, reason string) *records.LineError {
	return &records.LineError{File: path, Line: line, Reason: reason}
}

// writeRejects copies the rejected lines, byte for byte, from the file into
// the rejects file, so they can be fixed and loaded again; a line too long
// to parse is copied whole too.
func writeRejects(src, dst string, problems []*records.LineError) error {
	bad := make(map[int]bool, len(problems))
	for _, le := range problems {
		bad[le.Line] = true
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("write rejects: %w", err)
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return fmt.Errorf("write rejects: %w", err)
	}
	r, w := bufio.NewReader(in), bufio.NewWriter(out)
	for n := 1; ; n++ {
		eof := false
		for {
			chunk, err := r.ReadSlice('\n')
			if bad[n] {
				if _, werr := w.Write(chunk); werr != nil {
					out.Close()
					return fmt.Errorf("write rejects: %w", werr)
				}
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if err != nil && !errors.Is(err, io.EOF) {
				out.Close()
				return fmt.Errorf("write rejects: read %s: %w", src, err)
			}
			if bad[n] && (len(chunk) == 0 || chunk[len(chunk)-1] != '\n') {
				w.WriteByte('\n')
			}
			eof = errors.Is(err, io.EOF)
			break
		}
		if eof {
			break
		}
	}
	if err := w.Flush(); err != nil {
		out.Close()
		return fmt.Errorf("write rejects: %w", err)
	}
	return out.Close()
}

// pipe writes batches on a goroutine of its own, one at a time and in the
// order they were submitted, while the caller reads and parses the next
// batch: the file's Go work and the database's then share the two cores
// instead of taking turns. At most one batch waits while one is written,
// so a load killed mid-way has still committed whole batches in file order.
type pipe struct {
	jobs chan func() error
	done chan struct{}
	mu   sync.Mutex
	err  error // the first failed write; later jobs are dropped
}

func newPipe() *pipe {
	p := &pipe{jobs: make(chan func() error, 1), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		for job := range p.jobs {
			if p.failed() != nil {
				continue
			}
			if err := job(); err != nil {
				p.mu.Lock()
				p.err = err
				p.mu.Unlock()
			}
		}
	}()
	return p
}

func (p *pipe) failed() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// submit queues a write, or returns the error of one that failed, so the
// caller stops reading.
func (p *pipe) submit(job func() error) error {
	if err := p.failed(); err != nil {
		return err
	}
	p.jobs <- job
	return nil
}

// wait returns once every submitted write has finished, with the first
// error.
func (p *pipe) wait() error {
	close(p.jobs)
	<-p.done
	return p.err
}

// batch collects rows of one kind and hands them to a pipe when full. A row
// whose id is already in the batch flushes it first: the same id twice in
// one UNWIND would merge inside one statement and blur the counts.
type batch[T any] struct {
	kind  string
	size  int
	rows  []T
	ids   map[string]bool
	write func(context.Context, []T) (graph.Stats, error)
	stats *graph.Stats
	opt   Options
	path  string
	pipe  *pipe
}

func newBatch[T any](kind, path string, opt Options, stats *graph.Stats, pipe *pipe, write func(context.Context, []T) (graph.Stats, error)) *batch[T] {
	return &batch[T]{kind: kind, size: opt.BatchSize, ids: map[string]bool{}, write: write, stats: stats, opt: opt, path: path, pipe: pipe}
}

func (b *batch[T]) add(ctx context.Context, id string, row T) error {
	if b.ids[id] || len(b.rows) >= b.size {
		if err := b.flush(ctx); err != nil {
			return err
		}
	}
	b.ids[id] = true
	b.rows = append(b.rows, row)
	return nil
}

func (b *batch[T]) flush(ctx context.Context) error {
	if len(b.rows) == 0 {
		return nil
	}
	rows := b.rows
	b.rows, b.ids = make([]T, 0, b.size), map[string]bool{}
	return b.pipe.submit(func() error {
		st, err := b.write(ctx, rows)
		if err != nil {
			return fmt.Errorf("load %s of %s: %w", b.kind, b.path, err)
		}
		b.stats.Add(st)
		b.opt.Log.Debug("batch written", "file", b.path, "kind", b.kind, "rows", len(rows), "written", st.Written)
		if b.opt.AfterBatch != nil {
			b.opt.AfterBatch(b.kind, len(rows))
		}
		return nil
	})
}

// loadNodes writes the file's valid documents and entities in batches.
func loadNodes(ctx context.Context, store *graph.Store, path string, p *loadPlan, opt Options, sum *Summary) error {
	pipe := newPipe()
	docs := newBatch("documents", path, opt, &sum.Documents, pipe, store.WriteDocuments)
	ents := newBatch("entities", path, opt, &sum.Entities, pipe, store.WriteEntities)
	err := each(path, p, "de", func(line records.Line) error {
		switch {
		case line.Document != nil:
			d := *line.Document
			if d.ID == "" {
				d.ID = records.DocumentID(d.URL)
			}
			return docs.add(ctx, d.ID, d)
		case line.Entity != nil:
			e := *line.Entity
			// What a source says of a merged entity adds to the survivor.
			e.ID = p.survivor(records.EntityID(e))
			return ents.add(ctx, e.ID, e)
		}
		return nil
	})
	if err == nil {
		err = docs.flush(ctx)
	}
	if err == nil {
		err = ents.flush(ctx)
	}
	// Wait for the writes in flight whatever happened: nothing may write
	// after the load has returned.
	if werr := pipe.wait(); err == nil {
		err = werr
	}
	return err
}

// loadSuggestions writes the file's valid suggestions in batches, their
// known parties followed through merges. A suggestion already decided
// keeps its decision.
func loadSuggestions(ctx context.Context, store *graph.Store, path string, p *loadPlan, opt Options, sum *Summary) error {
	pipe := newPipe()
	sugs := newBatch("suggestions", path, opt, &sum.Suggestions, pipe, store.WriteSuggestions)
	err := each(path, p, "s", func(line records.Line) error {
		sg := *line.Suggestion
		sg.ID = records.SuggestionID(sg)
		for _, party := range []*records.Party{&sg.Subject, &sg.Object} {
			if party.ID != "" {
				party.ID = p.survivor(cmp.Or(p.refs[party.ID], party.ID))
			}
		}
		return sugs.add(ctx, sg.ID, sg)
	})
	if err == nil {
		err = sugs.flush(ctx)
	}
	if werr := pipe.wait(); err == nil {
		err = werr
	}
	return err
}

// loadClaims writes the file's valid claims in batches, each with its ends
// resolved and followed through merges.
func loadClaims(ctx context.Context, store *graph.Store, path string, p *loadPlan, opt Options, sum *Summary) error {
	pipe := newPipe()
	claims := newBatch("claims", path, opt, &sum.Claims, pipe, store.WriteClaims)
	written := map[string]bool{}
	err := each(path, p, "c", func(line records.Line) error {
		if line.Claim == nil {
			return nil
		}
		c := graph.ClaimWrite{Claim: *line.Claim}
		c.Subject, c.Object = p.refs[c.Subject], p.refs[c.Object]
		if c.Product != "" {
			c.Product = p.refs[c.Product]
		}
		if c.Stance == "" {
			c.Stance = records.StanceAsserts
		}
		c.ID = records.ClaimID(c.Claim, c.Subject, c.Object, c.Product)
		c.Named = graph.Ends{Subject: c.Subject, Object: c.Object, Product: c.Product}
		c.Subject, c.Object = p.survivor(c.Subject), p.survivor(c.Object)
		// The first claim of a pair with an end this load creates is the
		// first of its pair in the graph.
		if pair := graph.PairKey(c.Relation, c.Subject, c.Object); !written[pair] {
			written[pair] = true
			c.NewPair = p.created[c.Subject] || p.created[c.Object]
		}
		if c.Product != "" {
			c.Product = p.survivor(c.Product)
		}
		return claims.add(ctx, c.ID, c)
	})
	if err == nil {
		err = claims.flush(ctx)
	}
	if werr := pipe.wait(); err == nil {
		err = werr
	}
	return err
}
