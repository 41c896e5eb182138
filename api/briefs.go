package api

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/exportwatch/exportwatch/api/model"
	"github.com/exportwatch/exportwatch/brief"
	"github.com/exportwatch/exportwatch/graph"
)

// briefComplexity is what one brief counts against the complexity limit:
// composing it reads the graph around the subject a few dozen times, so
// with the default limit (20,000) a request gets at most three.
const briefComplexity = 5000

var briefFormats = map[model.BriefFormat]brief.Format{
	model.BriefFormatMarkdown: brief.FormatMarkdown, model.BriefFormatHTML: brief.FormatHTML, model.BriefFormatPDF: brief.FormatPDF,
}

// composeBrief composes a brief and turns the brief package's errors into
// the API's: a wrong request is bad input, and an unknown subject is not
// found with the closest names in the message.
func composeBrief(ctx context.Context, store *graph.Store, subject, kind, since, asOf string) (*brief.Brief, error) {
	k, err := brief.ParseKind(kind)
	if err == nil {
		var b *brief.Brief
		if b, err = brief.Compose(ctx, store, subject, brief.Options{Kind: k, Since: since, AsOf: asOf}); err == nil {
			return b, nil
		}
	}
	var re *brief.RequestError
	switch {
	case errors.As(err, &re):
		return nil, badInput("%s", re.Error())
	case errors.Is(err, graph.ErrNotFound):
		return nil, codedError{CodeNotFound, err.Error()}
	}
	return nil, err
}

// briefDownload is the path that serves a brief as a file.
func briefDownload(subject string, f brief.Format, kind, since, asOf string) string {
	q := url.Values{"subject": {subject}, "format": {string(f)}}
	if kind != "" {
		q.Set("kind", kind)
	}
	if since != "" {
		q.Set("since", since)
	}
	if asOf != "" {
		q.Set("asOf", asOf)
	}
	return "/briefs?" + q.Encode()
}

var briefTypes = map[brief.Format]string{
	brief.FormatMarkdown: "text/markdown; charset=utf-8",
	brief.FormatHTML:     "text/html; charset=utf-8",
	brief.FormatPDF:      "application/pdf",
}

// serveBrief answers GET /briefs?subject=…&format=md|html|pdf[&kind=…][&since=…][&asOf=…]
// with the brief as a file (inline=1: to be shown, not saved). It is rendered whole before the first byte is
// sent, so a failure is a clean error status, never a torn file.
func serveBrief(store *graph.Store) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		f, err := brief.ParseFormat(cmp.Or(q.Get("format"), string(brief.FormatPDF)))
		if err != nil {
			writeError(w, http.StatusBadRequest, CodeBadInput, err.Error())
			return
		}
		b, err := composeBrief(r.Context(), store, q.Get("subject"), q.Get("kind"), q.Get("since"), q.Get("asOf"))
		if err != nil {
			writeFileError(w, err)
			return
		}
		var buf bytes.Buffer
		if err := brief.Render(&buf, b, f, ""); err != nil {
			writeError(w, http.StatusInternalServerError, CodeInternal, "internal error")
			return
		}
		h := w.Header()
		h.Set("Content-Type", briefTypes[f])
		disposition := "attachment"
		// The page is built from scraped text: even escaped, it gets no
		// scripts and no outside requests.
		policy := "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"
		if q.Get("inline") == "1" {
			// The web app previews the brief in a frame of its own
			// pages (sandboxed, so nothing in it runs).
			disposition = "inline"
			policy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
			h.Set("X-Frame-Options", "SAMEORIGIN")
		}
		h.Set("Content-Disposition", fmt.Sprintf(`%s; filename="brief-%s.%s"`, disposition, slug(b.Subject.ID), f))
		h.Set("Content-Security-Policy", policy)
		h.Set("X-Content-Type-Options", "nosniff")
		w.Write(buf.Bytes())
	})
}

// writeFileError answers a download (a brief, an export) that could not be
// made with the status and code its error calls for.
func writeFileError(w http.ResponseWriter, err error) {
	var in inputError
	var coded codedError
	var re *brief.RequestError
	switch {
	case errors.As(err, &in):
		writeError(w, http.StatusBadRequest, CodeBadInput, in.msg)
	case errors.As(err, &re):
		writeError(w, http.StatusBadRequest, CodeBadInput, re.Error())
	case errors.As(err, &coded) && coded.code == CodeNotFound:
		writeError(w, http.StatusNotFound, CodeNotFound, coded.msg)
	case errors.Is(err, graph.ErrNotFound):
		writeError(w, http.StatusNotFound, CodeNotFound, err.Error())
	case errors.Is(err, graph.ErrUnavailable):
		w.Header().Set("Retry-After", retryAfter())
		writeError(w, http.StatusServiceUnavailable, CodeUnavailable, "the database is unavailable; try again shortly")
	default:
		writeError(w, http.StatusInternalServerError, CodeInternal, "internal error")
	}
}

// slug makes an id safe as a file name.
func slug(id string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' {
			return r
		}
		return '-'
	}, id)
}

// brief composes a brief for the API: Markdown and HTML inline, a PDF as a
// download path.
func (r *Resolver) brief(ctx context.Context, subject string, format *model.BriefFormat, kind *model.BriefKind, since, asOf string) (*model.Brief, error) {
	f := briefFormats[model.BriefFormatMarkdown]
	if format != nil {
		f = briefFormats[*format]
	}
	k := ""
	if kind != nil {
		k = strings.ToLower(string(*kind))
	}
	b, err := composeBrief(ctx, r.Store, subject, k, since, asOf)
	if err != nil {
		return nil, err
	}
	out := &model.Brief{Subject: entity(b.Subject), Kind: model.BriefKind(strings.ToUpper(string(b.Kind))), Format: deref(format),
		Download: briefDownload(b.Subject.ID, f, k, since, asOf), DataDate: optional(b.DataDate), Claims: len(b.Claims), Sources: len(b.Sources)}
	if out.Format == "" {
		out.Format = model.BriefFormatMarkdown
	}
	if f != brief.FormatPDF {
		var buf strings.Builder
		if err := brief.Render(&buf, b, f, ""); err != nil {
			return nil, err
		}
		content := buf.String()
		out.Content = &content
	}
	return out, nil
}
