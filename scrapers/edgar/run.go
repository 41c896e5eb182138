package edgar

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"

	"github.com/exportwatch/exportwatch/records"
	"github.com/exportwatch/exportwatch/scrapers"
)

// Options are the source's flags.
type Options struct {
	CIKs []string
	// Reports is how many of the latest annual reports (10-K, 20-F) are
	// read for subsidiaries; 0: 1.
	Reports int
}

// Summary counts a run.
type Summary struct {
	Companies, Reports, Exhibits, Passages, Claims int
}

// publisher names the SEC on every document of this source.
const publisher = "U.S. Securities and Exchange Commission (EDGAR)"

// annual reports whose exhibits list subsidiaries; amendments are left out.
var annualForms = map[string]bool{"10-K": true, "20-F": true}

// Run reads each registrant, its former names and the subsidiaries
// exhibits of its latest annual reports, writing records as they are read.
// A mirror (env.BaseURL) serves both SEC hosts, which keep their paths
// (they differ: /submissions/… and /Archives/…).
func Run(ctx context.Context, env *scrapers.Env, opt Options) (Summary, error) {
	var sum Summary
	c, out, report := env.Collector, env.Out, env.Problem
	data, archives := env.Origin(DataURL), env.Origin(ArchivesURL)
	reports := cmp.Or(opt.Reports, 1)
	get := func(u string) (*scrapers.Response, bool, error) {
		resp, err := c.Fetch(ctx, scrapers.Request{URL: u})
		if ctx.Err() != nil {
			return nil, false, ctx.Err()
		}
		if err != nil {
			report("%v", err)
			return nil, false, nil
		}
		return resp, true, nil
	}
	for _, raw := range opt.CIKs {
		cik, ok := CIK(raw)
		if !ok {
			report("--cik %q is not a CIK (one to ten digits)", raw)
			continue
		}
		u := data + "/submissions/CIK" + cik + ".json"
		resp, ok, err := get(u)
		if err != nil {
			return sum, err
		}
		if !ok {
			continue
		}
		s, err := ParseSubmissions(resp.Body)
		if err != nil {
			report("%s: %v", u, err)
			continue
		}
		sum.Companies++
		doc := resp.Document("SEC EDGAR submissions of "+s.Name+" (CIK "+cik+")", publisher, "")
		company := Company(s, doc.ID)
		olds, renames := Renames(s, company, doc.ID)
		if err := out.Document(doc); err != nil {
			return sum, err
		}
		if err := out.Page(doc, append([]records.Entity{company}, olds...), renames); err != nil {
			return sum, err
		}
		sum.Claims += len(renames)

		filings, err := annualReports(s, reports, func(name string) (*Filings, error) {
			u := data + "/submissions/" + url.PathEscape(name)
			resp, ok, err := get(u)
			if err != nil || !ok {
				return nil, err
			}
			var f Filings
			if err := json.Unmarshal(resp.Body, &f); err != nil {
				report("%s: not a submissions page: %v", u, err)
				return nil, nil
			}
			return &f, nil
		})
		if err != nil {
			if ctx.Err() != nil {
				return sum, ctx.Err()
			}
			report("CIK %s: %v", cik, err)
			continue
		}
		if len(filings) == 0 {
			report("CIK %s: no 10-K or 20-F among its filings", cik)
		}
		for _, f := range filings {
			sum.Reports++
			folder := archives + "/Archives/edgar/data/" + strings.TrimLeft(cik, "0") + "/" + strings.ReplaceAll(f.Accession, "-", "")
			resp, ok, err := get(folder + "/index.json")
			if err != nil {
				return sum, err
			}
			if !ok {
				continue
			}
			var idx Index
			if err := json.Unmarshal(resp.Body, &idx); err != nil {
				report("%s/index.json: not a filing index: %v", folder, err)
				continue
			}
			if f.PrimaryDocument != "" {
				if err := passages(ctx, get, out, folder+"/"+url.PathEscape(f.PrimaryDocument), s, company, f, &sum, report); err != nil {
					return sum, err
				}
			}
			exhibits := SubsidiaryExhibits(&idx, f.Form)
			if len(exhibits) == 0 {
				report("%s: the %s of %s has no subsidiaries exhibit", folder, f.Form, f.FilingDate)
			}
			for _, name := range exhibits {
				resp, ok, err := get(folder + "/" + url.PathEscape(name))
				if err != nil {
					return sum, err
				}
				if !ok {
					continue
				}
				subs, err := ParseExhibit(resp.Body)
				if err != nil || len(subs) == 0 {
					report("%s/%s: no subsidiaries could be read (%v)", folder, name, err)
					continue
				}
				sum.Exhibits++
				exhibit := "Exhibit 21"
				if strings.HasPrefix(f.Form, "20-F") {
					exhibit = "Exhibit 8"
				}
				edoc := resp.Document(fmt.Sprintf("%s to the %s of %s filed %s: subsidiaries", exhibit, f.Form, s.Name, f.FilingDate), publisher, f.FilingDate)
				ents, claims := SubsidiaryClaims(subs, company, f, edoc.ID)
				if err := out.Page(edoc, ents, claims); err != nil {
					return sum, err
				}
				sum.Claims += len(claims)
			}
		}
	}
	return sum, nil
}

// passages reads an annual report for sentences about government
// customers in named countries.
func passages(ctx context.Context, get func(string) (*scrapers.Response, bool, error), out *scrapers.Output, u string,
	s *Submissions, company records.Entity, f Filing, sum *Summary, report func(string, ...any)) error {
	resp, ok, err := get(u)
	if err != nil || !ok {
		return err
	}
	ps, err := Passages(resp.Body)
	if err != nil {
		report("%s: %v", u, err)
		return nil
	}
	doc := resp.Document(fmt.Sprintf("%s of %s filed %s", f.Form, s.Name, f.FilingDate), publisher, f.FilingDate)
	ents, claims := PassageClaims(ps, company, f, doc.ID)
	sum.Passages += len(ps)
	sum.Claims += len(claims)
	return out.Page(doc, ents, claims)
}

// annualReports picks the latest annual reports from the recent filings
// and, when those hold too few, from the older pages (read by page).
func annualReports(s *Submissions, want int, page func(string) (*Filings, error)) ([]Filing, error) {
	var out []Filing
	pick := func(f Filings) error {
		list, err := f.List()
		if err != nil {
			return err
		}
		for _, x := range list {
			if annualForms[x.Form] && len(out) < want {
				out = append(out, x)
			}
		}
		return nil
	}
	if err := pick(s.Filings.Recent); err != nil {
		return nil, err
	}
	for _, f := range s.Filings.Files {
		if len(out) >= want {
			break
		}
		p, err := page(f.Name)
		if err != nil {
			return nil, err
		}
		if p != nil {
			if err := pick(*p); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}
