package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/exportwatch/exportwatch/graph"
	"github.com/exportwatch/exportwatch/scrapers"
)

// suggestionDecisions collect --accept and --reject flags.
type suggestionDecisions struct{ accept, reject scrapers.Repeated }

// decideSuggestions applies --accept and --reject.
func decideSuggestions(ctx context.Context, store *graph.Store, w io.Writer, d suggestionDecisions, note, who string) error {
	for _, id := range d.accept {
		sg, err := store.AcceptSuggestion(ctx, id, note, who)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: accepted, as %s\n", sg.ID, sg.Claim)
	}
	for _, id := range d.reject {
		sg, err := store.RejectSuggestion(ctx, id, note, who)
		if errors.Is(err, graph.ErrDecided) {
			return fmt.Errorf("%w; retract its claim with the API's reviewClaim instead", err)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %s\n", sg.ID, sg.Status)
	}
	return nil
}

// listSuggestions prints the open suggestions.
func listSuggestions(ctx context.Context, store *graph.Store, w io.Writer) error {
	const page = 200
	for skip := 0; ; skip += page {
		sgs, total, err := store.Suggestions(ctx, graph.SuggestionOpen, skip, page)
		if err != nil {
			return err
		}
		if skip == 0 {
			fmt.Fprintf(w, "%d open suggestions\n", total)
		}
		for _, sg := range sgs {
			printSuggestion(w, sg)
		}
		if len(sgs) < page {
			return nil
		}
	}
}

// reviewSuggestions asks about each open suggestion in turn; a decision is
// stored when it is given, so quitting half-way loses nothing.
func reviewSuggestions(ctx context.Context, store *graph.Store, in io.Reader, w io.Writer, who string) error {
	sc := bufio.NewScanner(in)
	skipped := map[string]bool{}
	decided := 0
	for {
		sgs, total, err := store.Suggestions(ctx, graph.SuggestionOpen, 0, len(skipped)+1)
		if err != nil {
			return err
		}
		var sg *graph.Suggestion
		for i := range sgs {
			if !skipped[sgs[i].ID] {
				sg = &sgs[i]
				break
			}
		}
		if sg == nil {
			fmt.Fprintf(w, "No open suggestion left (%d decided here).\n", decided)
			return nil
		}
		fmt.Fprintf(w, "\n[%d open]\n", total)
		printSuggestion(w, *sg)
		for {
			fmt.Fprint(w, "Is this what the source says? [a]ccept, [r]eject, Enter to skip, [q]uit: ")
			if !sc.Scan() {
				fmt.Fprintf(w, "\n%d decided.\n", decided)
				return sc.Err()
			}
			var err error
			switch answer := strings.ToLower(strings.TrimSpace(sc.Text())); answer {
			case "q", "quit":
				fmt.Fprintf(w, "%d decided.\n", decided)
				return nil
			case "":
				skipped[sg.ID] = true
			case "a", "accept":
				var got graph.Suggestion
				if got, err = store.AcceptSuggestion(ctx, sg.ID, "", who); err == nil {
					fmt.Fprintf(w, "Accepted, as %s.\n", got.Claim)
				}
			case "r", "reject":
				if _, err = store.RejectSuggestion(ctx, sg.ID, "", who); err == nil {
					fmt.Fprintln(w, "Rejected; reading the page again will not bring it back.")
				}
			default:
				fmt.Fprintf(w, "%q is not an answer.\n", answer)
				continue
			}
			if err != nil {
				return err
			}
			if !skipped[sg.ID] {
				decided++
			}
			break
		}
	}
}

func printSuggestion(w io.Writer, sg graph.Suggestion) {
	name := func(p string, id string) string {
		if id != "" {
			return p + " (" + id + ")"
		}
		return p + " (new)"
	}
	fmt.Fprintf(w, "%s  %s %s > %s  confidence %.2f  %s\n", sg.ID, sg.Relation, name(sg.Subject.Name, sg.Subject.ID),
		name(sg.Object.Name, sg.Object.ID), sg.Confidence, sg.Status)
	fmt.Fprintf(w, "  unsure because: %s\n", strings.Join(sg.Reasons, "; "))
	fmt.Fprintf(w, "  %q\n", sg.Evidence.Quote)
	fmt.Fprintf(w, "  %s (%s) %s\n", sg.Document.Title, sg.Document.Publisher, sg.Document.URL)
}
