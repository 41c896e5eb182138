package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/exportwatch/exportwatch/config"
	"github.com/exportwatch/exportwatch/resolve"
)

// cmdResolve scores name pairs from a file, so resolution can be checked
// from outside; a labelled file (a fifth column, same or different) also
// gets precision and recall. It needs no database.
func cmdResolve(_ context.Context, _ config.Config, args []string) error {
	fs := flag.NewFlagSet("resolve", flag.ContinueOnError)
	pairs := fs.String("pairs", "", "a file of name_a<TAB>name_b[<TAB>country_a<TAB>country_b[<TAB>same|different]] lines (- for standard input)")
	quiet := fs.Bool("summary", false, "with labels, print only precision and recall")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *pairs == "" {
		return errors.New("give --pairs FILE")
	}
	in := os.Stdin
	if *pairs != "-" {
		f, err := os.Open(*pairs)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	ps, err := resolve.ReadPairs(in)
	if err != nil {
		return fmt.Errorf("%s: %w", *pairs, err)
	}
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	labelled := false
	for _, p := range ps {
		labelled = labelled || p.Label != ""
		if *quiet {
			continue
		}
		s := resolve.Compare(p.A, p.B, p.CountryA, p.CountryB)
		fmt.Fprintf(w, "%.3f\t%s\t%s\t%s\t%s\n", s.Value, s.Decision, p.A, p.B, s.Explanation)
	}
	if labelled {
		e := resolve.Evaluate(ps)
		fmt.Fprintf(w, "# %d labelled pairs: precision %.3f, recall %.3f (same %d, review %d, different %d; false links %d, missed %d)\n",
			e.Pairs, e.Precision, e.Recall, e.Same, e.Review, e.Different, e.FalsePositive, e.FalseNegative)
		for _, m := range e.Mistakes {
			fmt.Fprintln(w, "# false link:", m)
		}
	}
	return nil
}
