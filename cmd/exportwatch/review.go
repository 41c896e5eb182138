package main

import (
	"bufio"
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/records"
)

// decisionKeys are the answers the interactive review takes.
var decisionKeys = map[string]string{
	"s": graph.JudgeSame, "same": graph.JudgeSame,
	"n": graph.JudgeNotSame, "not": graph.JudgeNotSame, "not_same": graph.JudgeNotSame,
	"u": graph.JudgeUnsure, "unsure": graph.JudgeUnsure,
	"p": graph.JudgePending, "pending": graph.JudgePending,
}

// decisionList collects repeated --decide ID=DECISION flags.
type decisionList [][2]string

func (d *decisionList) String() string { return fmt.Sprint(*d) }

func (d *decisionList) Set(v string) error {
	id, decision, ok := strings.Cut(v, "=")
	if !ok || decisionKeys[decision] == "" {
		return fmt.Errorf("%q: want JUDGEMENT=same|not_same|unsure|pending", v)
	}
	*d = append(*d, [2]string{id, decisionKeys[decision]})
	return nil
}

// cmdReview lists the judgements resolution left for a person, or with
// --suggestions the claims extractors suggested, and takes their
// decisions: interactively in the terminal, or with --decide, --accept and
// --reject.
func cmdReview(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("review", flag.ContinueOnError)
	list := fs.Bool("list", false, "print the judgements and ask nothing")
	all := fs.Bool("all", false, "every judgement, decided ones too, not only the pending and unsure")
	who := fs.String("who", cmp.Or(os.Getenv("USER"), "cli"), "who decides, as the judgements and the audit log record it")
	var decide decisionList
	fs.Var(&decide, "decide", "decide a judgement without asking: JUDGEMENT=same|not_same|unsure|pending (repeatable)")
	suggestions := fs.Bool("suggestions", false, "review the claims extractors suggested instead of the judgements")
	var sd suggestionDecisions
	fs.Var(&sd.accept, "accept", "accept a suggestion without asking: it becomes a reported claim (repeatable)")
	fs.Var(&sd.reject, "reject", "reject a suggestion without asking (repeatable)")
	note := fs.String("note", "", "a note for the decisions given with --accept and --reject")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if strings.TrimSpace(*who) == "" {
		return errors.New("--who must name someone")
	}
	store, closeStore, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	switch {
	case len(sd.accept)+len(sd.reject) > 0:
		return decideSuggestions(ctx, store, os.Stdout, sd, *note, *who)
	case *suggestions && *list:
		return listSuggestions(ctx, store, os.Stdout)
	case *suggestions:
		return reviewSuggestions(ctx, store, os.Stdin, os.Stdout, *who)
	}
	decisions := []string{graph.JudgePending, graph.JudgeUnsure}
	if *all {
		decisions = graph.Decisions
	}
	switch {
	case len(decide) > 0:
		for _, d := range decide {
			j, err := store.Decide(ctx, d[0], d[1], "", *who)
			if err != nil {
				return err
			}
			fmt.Printf("%s: %s\n", j.ID, j.Decision)
		}
		return nil
	case *list:
		return listJudgements(ctx, store, os.Stdout, decisions)
	}
	return review(ctx, store, os.Stdin, os.Stdout, decisions, *who)
}

func listJudgements(ctx context.Context, store *graph.Store, w io.Writer, decisions []string) error {
	const page = 200
	for skip := 0; ; skip += page {
		js, total, err := store.ListJudgements(ctx, decisions, skip, page)
		if err != nil {
			return err
		}
		if skip == 0 {
			fmt.Fprintf(w, "%d judgements (%s)\n", total, strings.Join(decisions, ", "))
		}
		for _, j := range js {
			printJudgement(w, j)
		}
		if len(js) < page {
			return nil
		}
	}
}

// review asks about each judgement in turn until the queue is empty or
// the reviewer quits. A decision is stored when it is given, so quitting
// half-way loses nothing.
func review(ctx context.Context, store *graph.Store, in io.Reader, w io.Writer, decisions []string, who string) error {
	sc := bufio.NewScanner(in)
	skipped := map[string]bool{}
	decided := 0
	for {
		js, total, err := store.ListJudgements(ctx, decisions, 0, len(skipped)+1)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(js, func(j graph.Judgement) bool { return !skipped[j.ID] })
		if i < 0 {
			fmt.Fprintf(w, "Nothing left to review (%d decided here).\n", decided)
			return nil
		}
		j := js[i]
		fmt.Fprintf(w, "\n[%d left]\n", total-int64(len(skipped)))
		printJudgement(w, j)
		if err := printEvidence(ctx, store, w, j); err != nil {
			return err
		}
		for {
			fmt.Fprint(w, "Same entity? [s]ame, [n]ot the same, [u]nsure, Enter to skip, [q]uit: ")
			if !sc.Scan() {
				if err := sc.Err(); err != nil {
					return fmt.Errorf("read answer: %w", err)
				}
				fmt.Fprintf(w, "\n%d decided.\n", decided)
				return nil
			}
			answer := strings.ToLower(strings.TrimSpace(sc.Text()))
			if answer == "q" || answer == "quit" {
				fmt.Fprintf(w, "%d decided.\n", decided)
				return nil
			}
			if answer == "" {
				skipped[j.ID] = true
				break
			}
			decision := decisionKeys[answer]
			if decision == "" {
				fmt.Fprintf(w, "%q is not an answer.\n", answer)
				continue
			}
			got, err := store.Decide(ctx, j.ID, decision, "", who)
			var refused *graph.RefusedError
			if errors.As(err, &refused) {
				fmt.Fprintln(w, "Refused:", refused.Reason)
				continue
			}
			if err != nil {
				return err
			}
			decided++
			fmt.Fprintf(w, "Recorded: %s.\n", got.Decision)
			// Unsure stays in the queue; it is not asked again now.
			if slices.Contains(decisions, got.Decision) {
				skipped[j.ID] = true
			}
			break
		}
	}
}

func printJudgement(w io.Writer, j graph.Judgement) {
	fmt.Fprintf(w, "%s  %s  score %.3f  proposed by %s %s", j.ID, j.Decision, j.Score, j.ProposedBy, j.ProposedAt)
	if j.DecidedBy != "" {
		fmt.Fprintf(w, ", decided by %s %s", j.DecidedBy, j.DecidedAt)
	}
	fmt.Fprintln(w)
	for i, e := range j.Entities {
		label := sideLabels[i]
		if e.Name == "" {
			fmt.Fprintf(w, "  %s  %s  (no longer in the graph)\n", label, e.ID)
			continue
		}
		fmt.Fprintf(w, "  %s  %s  %s  %q", label, e.ID, e.Schema, e.Name)
		if e.Country != "" {
			fmt.Fprintf(w, "  %s", e.Country)
		}
		if ids := records.IdentifierList(e.Identifiers); len(ids) > 0 {
			fmt.Fprintf(w, "  %s", strings.Join(ids, " "))
		}
		if e.MergedInto != "" {
			fmt.Fprintf(w, "  merged into %s", e.MergedInto)
		} else {
			fmt.Fprintf(w, "  %d claims", e.Claims)
		}
		fmt.Fprintln(w)
		var other []string
		for _, a := range e.Aliases {
			if a != e.Name {
				other = append(other, fmt.Sprintf("%q", a))
			}
		}
		if len(other) > 0 {
			fmt.Fprintf(w, "     also %s\n", strings.Join(other, ", "))
		}
	}
	if j.Explanation != "" {
		fmt.Fprintf(w, "  why: %s\n", j.Explanation)
	}
}

// sideLabels name a judgement's two entities, the one there first as A.
var sideLabels = [2]string{"A", "B"}

// reviewClaims is how many claims of each side the review shows: enough
// to see what each entity did and who said so.
const reviewClaims = 3

// printEvidence shows, under a judgement, the first claims of each side
// that is still an entity of its own: relation, the other end, the
// quote and its source. A name alone rarely settles whether two
// entities are one; what the sources say they did often does.
func printEvidence(ctx context.Context, store *graph.Store, w io.Writer, j graph.Judgement) error {
	for i, e := range j.Entities {
		if e.Name == "" || e.MergedInto != "" || e.Claims == 0 {
			continue
		}
		claims, err := store.ClaimsOf(ctx, e.ID)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "  %s's claims:\n", sideLabels[i])
		for _, c := range claims[:min(len(claims), reviewClaims)] {
			other, arrow := c.Object, "→"
			if c.Object == e.ID {
				other, arrow = c.Subject, "←"
			}
			for _, end := range c.Ends {
				if end.ID == other {
					other = end.Name
				}
			}
			fmt.Fprintf(w, "     %s %s %s", c.Relation, arrow, other)
			if len(c.Evidence) > 0 {
				ev := c.Evidence[0]
				if ev.Quote != "" {
					fmt.Fprintf(w, ": %q", ev.Quote)
				}
				fmt.Fprintf(w, " (%s)", cmp.Or(ev.Document.Publisher, ev.Document.URL))
			}
			fmt.Fprintln(w)
		}
		if len(claims) > reviewClaims {
			fmt.Fprintf(w, "     and %d more\n", len(claims)-reviewClaims)
		}
	}
	return nil
}
