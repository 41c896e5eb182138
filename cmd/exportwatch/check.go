package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/graph"
)

// exitBroken: check found the graph's invariants broken (and, with
// --repair, some could not be mended).
const exitBroken = 3

// cmdCheck verifies the graph's invariants and prints each problem; with
// --repair it rebuilds the wrong edges from their claims and checks again.
func cmdCheck(ctx context.Context, cfg config.Config, args []string) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	repair := fs.Bool("repair", false, "rebuild wrong, missing and duplicate edges from their claims, then check again")
	if err := fs.Parse(args); err != nil {
		return err
	}
	store, closeStore, err := connect(ctx, cfg)
	if err != nil {
		return err
	}
	defer closeStore()
	problems, err := store.Check(ctx)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Println(p)
	}
	if len(problems) > 0 && *repair {
		n, err := store.Repair(ctx, problems)
		if err != nil {
			return err
		}
		fmt.Printf("repaired the edges of %d pairs\n", n)
		if problems, err = store.Check(ctx); err != nil {
			return err
		}
		for _, p := range problems {
			fmt.Println("still:", p)
		}
	}
	// Quotes that do not show their claim are no broken invariant, but
	// a brief would print them as the support: an editor widens them or
	// adds a paraphrase.
	weak, err := store.WeakQuotes(ctx)
	if err != nil {
		return err
	}
	for _, w := range weak {
		fmt.Println(w)
	}
	if len(weak) > 0 {
		fmt.Printf("%d claims' quotes do not stand on their own (under %d words, or naming neither party): widen them to the sentence or add a paraphrase\n", len(weak), graph.MinQuoteWords)
	}
	if len(problems) > 0 {
		return &exitError{code: exitBroken, err: fmt.Errorf("%d problems", len(problems))}
	}
	fmt.Println("the graph keeps its invariants")
	return nil
}
