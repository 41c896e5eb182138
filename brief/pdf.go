package brief

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// The PDF is drawn with fpdf and the Go fonts, which are embedded in the
// binary: no font files to install, and Latin, Greek and Cyrillic names
// print as written.
const (
	pdfFont   = "go"
	pdfBody   = 10.0
	pdfLine   = 5.0
	pdfMargin = 18.0
)

// PDF writes the brief as a PDF: the same text as the other formats, the
// footnote marks linked to the sources at the end, the tables and the
// network diagram drawn in place.
func PDF(w io.Writer, b *Brief) error {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(b.Generated)
	pdf.SetModificationDate(b.Generated)
	pdf.SetCatalogSort(true)
	pdf.SetProducer("exportwatch", true)
	pdf.SetTitle(b.Title, true)
	pdf.SetSubject(fmt.Sprintf("%s brief on %s", b.Kind, b.Subject.ID), true)
	pdf.AddUTF8FontFromBytes(pdfFont, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(pdfFont, "B", gobold.TTF)
	pdf.AddUTF8FontFromBytes(pdfFont, "I", goitalic.TTF)
	pdf.SetMargins(pdfMargin, pdfMargin, pdfMargin)
	pdf.SetAutoPageBreak(true, pdfMargin)
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont(pdfFont, "I", 8)
		pdf.SetTextColor(110, 110, 110)
		pdf.CellFormat(0, 5, fmt.Sprintf("%s · page %d of {nb}", b.Title, pdf.PageNo()), "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
	r := &pdfWriter{pdf: pdf, links: make([]int, len(b.Sources))}
	for i := range r.links {
		r.links[i] = pdf.AddLink()
	}
	pdf.AddPage()

	pdf.SetFont(pdfFont, "B", 18)
	pdf.MultiCell(0, 8, b.Title, "", "L", false)
	pdf.SetFont(pdfFont, "I", 9)
	pdf.SetTextColor(90, 90, 90)
	pdf.MultiCell(0, 4.5, header(b), "", "L", false)
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(3)

	if len(b.Summary) > 0 {
		r.heading("Summary", 14)
		for _, st := range b.Summary {
			r.text(st.Text)
			r.notes(st.Notes)
			r.text(" ")
		}
		pdf.Ln(pdfLine + 2)
	}
	for _, s := range b.Sections {
		r.heading(s.Title, 14)
		for _, g := range s.Groups {
			if len(g.Statements) == 0 {
				continue
			}
			if g.Heading != "" {
				r.heading(g.Heading, 11)
			}
			for _, st := range g.Statements {
				r.bullet(st)
			}
		}
		if s.Table != nil {
			r.table(s.Table)
		}
	}
	if t := b.timelineTable(); t != nil {
		r.heading("Timeline", 14)
		r.table(t)
	}
	if len(b.Diagram.Edges) > 0 {
		pdf.AddPage()
		r.heading("Network", 14)
		r.diagram(b.Diagram)
	}
	r.heading("Method and limits", 14)
	pdf.SetFont(pdfFont, "", pdfBody)
	for _, para := range Method {
		pdf.MultiCell(0, pdfLine, para, "", "L", false)
		pdf.Ln(2)
	}
	r.heading("Sources", 14)
	pdf.SetFont(pdfFont, "", 8.5)
	for i, d := range b.Sources {
		pdf.SetLink(r.links[i], -1, -1)
		src := sourceOf(d)
		pdf.SetFont(pdfFont, "B", 8.5)
		pdf.Write(4.2, strconv.Itoa(i+1)+". ")
		pdf.SetFont(pdfFont, "", 8.5)
		pdf.Write(4.2, src.Lead+" ")
		if safeURL(src.URL) {
			pdf.SetTextColor(20, 60, 160)
			pdf.WriteLinkString(4.2, src.URL, src.URL)
			pdf.SetTextColor(0, 0, 0)
		} else {
			pdf.Write(4.2, src.URL)
		}
		pdf.Write(4.2, " "+src.Tail)
		pdf.Ln(6)
	}
	if pdf.Err() {
		return fmt.Errorf("render pdf: %w", pdf.Error())
	}
	if err := pdf.Output(w); err != nil {
		return fmt.Errorf("render pdf: %w", err)
	}
	return nil
}

type pdfWriter struct {
	pdf   *fpdf.Fpdf
	links []int
}

func (r *pdfWriter) heading(s string, size float64) {
	_, pageH := r.pdf.GetPageSize()
	// Keep a heading with at least a few lines of what follows it.
	if r.pdf.GetY() > pageH-pdfMargin-25 {
		r.pdf.AddPage()
	}
	r.pdf.Ln(2)
	r.pdf.SetFont(pdfFont, "B", size)
	r.pdf.MultiCell(0, size*0.5, s, "", "L", false)
	r.pdf.Ln(1.5)
	r.pdf.SetFont(pdfFont, "", pdfBody)
}

func (r *pdfWriter) text(s string) {
	r.pdf.SetFont(pdfFont, "", pdfBody)
	r.pdf.Write(pdfLine, s)
}

// notes writes footnote marks as superscripts linked to their sources.
func (r *pdfWriter) notes(ns []int) {
	for _, n := range ns {
		link := 0
		if n >= 1 && n <= len(r.links) {
			link = r.links[n-1]
		}
		r.pdf.SetTextColor(20, 60, 160)
		r.pdf.SubWrite(pdfLine, "["+strconv.Itoa(n)+"]", 6.5, 2.2, link, "")
		r.pdf.SetTextColor(0, 0, 0)
	}
}

func (r *pdfWriter) bullet(st Statement) {
	left, _, _, _ := r.pdf.GetMargins()
	r.pdf.SetFont(pdfFont, "", pdfBody)
	r.pdf.SetX(left)
	r.pdf.Write(pdfLine, "•  ")
	r.pdf.SetLeftMargin(left + 5)
	r.pdf.Write(pdfLine, st.Text)
	r.notes(st.Notes)
	r.pdf.SetLeftMargin(left)
	r.pdf.Ln(pdfLine + 1)
}

// table draws a grid whose cells wrap; columns get widths in proportion
// to their longest text, within bounds, and rows never split over pages.
func (r *pdfWriter) table(t *Table) {
	pdf := r.pdf
	left, _, right, _ := pdf.GetMargins()
	pageW, pageH := pdf.GetPageSize()
	width := pageW - left - right
	cols := append(append([]string{}, t.Columns...), "Sources")
	rows := make([][]string, len(t.Rows))
	for i, row := range t.Rows {
		refs := make([]string, len(row.Notes))
		for j, n := range row.Notes {
			refs[j] = "[" + strconv.Itoa(n) + "]"
		}
		rows[i] = append(append([]string{}, row.Cells...), strings.Join(refs, ""))
	}
	size := 7.5
	pdf.SetFont(pdfFont, "", size)
	weights := make([]float64, len(cols))
	for j, c := range cols {
		weights[j] = pdf.GetStringWidth(c)
		for _, row := range rows {
			weights[j] = max(weights[j], min(pdf.GetStringWidth(row[j]), 60))
		}
		weights[j] = max(weights[j], 10)
	}
	total := 0.0
	for _, w := range weights {
		total += w
	}
	widths := make([]float64, len(cols))
	for j := range cols {
		widths[j] = width * weights[j] / total
	}
	lh := 3.6
	draw := func(cells []string, bold bool) {
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont(pdfFont, style, size)
		lines := make([][]string, len(cells))
		n := 1
		for j, c := range cells {
			lines[j] = pdf.SplitText(c, widths[j]-2)
			n = max(n, len(lines[j]))
		}
		h := float64(n)*lh + 1.5
		if pdf.GetY()+h > pageH-pdfMargin {
			pdf.AddPage()
		}
		x, y := left, pdf.GetY()
		for j := range cells {
			if bold {
				pdf.SetFillColor(238, 238, 238)
				pdf.Rect(x, y, widths[j], h, "FD")
			} else {
				pdf.Rect(x, y, widths[j], h, "D")
			}
			for k, line := range lines[j] {
				pdf.Text(x+1, y+lh*float64(k+1), line)
			}
			x += widths[j]
		}
		pdf.SetY(y + h)
	}
	pdf.SetDrawColor(180, 180, 180)
	draw(cols, true)
	for _, row := range rows {
		draw(row, false)
	}
	pdf.SetDrawColor(0, 0, 0)
	pdf.Ln(3)
	pdf.SetFont(pdfFont, "", pdfBody)
}

// diagram draws the laid-out network scaled to the page width, the same
// picture the SVG shows.
func (r *pdfWriter) diagram(d Diagram) {
	pdf := r.pdf
	left, _, right, _ := pdf.GetMargins()
	pageW, _ := pdf.GetPageSize()
	scale := (pageW - left - right) / d.Width
	top := pdf.GetY()
	at := func(x, y float64) (float64, float64) { return left + x*scale, top + y*scale }
	pdf.SetLineWidth(0.25)
	for _, sg := range d.segments() {
		l := sg.Link
		ax, ay := at(sg.X1, sg.Y1)
		bx, by := at(sg.X2, sg.Y2)
		if l.Contested {
			pdf.SetDrawColor(200, 0, 0)
		} else {
			pdf.SetDrawColor(85, 85, 85)
		}
		switch statusDash(l.Status) {
		case "":
			pdf.SetDashPattern(nil, 0)
		case "6 4":
			pdf.SetDashPattern([]float64{1.2, 0.8}, 0)
		default:
			pdf.SetDashPattern([]float64{0.4, 0.8}, 0)
		}
		pdf.Line(ax, ay, bx, by)
		pdf.SetDashPattern(nil, 0)
		arrow(pdf, ax, ay, bx, by)
		pdf.SetFont(pdfFont, "", 5)
		pdf.SetTextColor(100, 100, 100)
		label := strings.ToLower(l.Relation)
		pdf.Text(ax+(bx-ax)*labelAt-pdf.GetStringWidth(label)/2, ay+(by-ay)*labelAt-0.6, label)
		pdf.SetTextColor(0, 0, 0)
	}
	pdf.SetDrawColor(30, 30, 30)
	for _, n := range d.Nodes {
		x, y := at(n.X, n.Y)
		rad := 9.0 * scale
		if n.Subject {
			rad = 14 * scale
		}
		cr, cg, cb := hexColour(cmp.Or(schemaColours[n.Schema], "#bab0ac"))
		pdf.SetFillColor(cr, cg, cb)
		pdf.Circle(x, y, rad, "FD")
		style := ""
		if n.Subject {
			style = "B"
		}
		pdf.SetFont(pdfFont, style, 6)
		label := shorten(n.Label, 30)
		pdf.Text(x-pdf.GetStringWidth(label)/2, y+rad+2.6, label)
	}
	lx, ly := at(10, d.Height+20)
	pdf.SetFont(pdfFont, "", 6.5)
	for _, s := range legendSchemas {
		cr, cg, cb := hexColour(schemaColours[s])
		pdf.SetFillColor(cr, cg, cb)
		pdf.Circle(lx+1.5, ly, 1.5, "F")
		pdf.Text(lx+4, ly+1, s)
		lx += 100 * scale
	}
	pdf.Text(lx, ly+1, "dashed: reported · solid: documented · red: contested")
	pdf.SetY(ly + 8)
	pdf.SetFont(pdfFont, "", pdfBody)
}

// arrow draws an arrowhead at the end of a line.
func arrow(pdf *fpdf.Fpdf, x1, y1, x2, y2 float64) {
	dx, dy := x2-x1, y2-y1
	l := dx*dx + dy*dy
	if l == 0 {
		return
	}
	size := 1.6
	ux, uy := dx/math.Sqrt(l), dy/math.Sqrt(l)
	pdf.SetFillColor(85, 85, 85)
	pdf.Polygon([]fpdf.PointType{
		{X: x2, Y: y2},
		{X: x2 - size*ux + size*0.5*uy, Y: y2 - size*uy - size*0.5*ux},
		{X: x2 - size*ux - size*0.5*uy, Y: y2 - size*uy + size*0.5*ux},
	}, "F")
}

func hexColour(s string) (int, int, int) {
	v, _ := strconv.ParseUint(strings.TrimPrefix(s, "#"), 16, 32)
	return int(v >> 16 & 0xff), int(v >> 8 & 0xff), int(v & 0xff)
}
