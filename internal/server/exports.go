package server

import (
	"bytes"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"

	"heard/internal/results"
	"heard/web"
)

var errBreakdownNotFound = errors.New("breakdown not found")

// resultsXLSX is the whole results set as one workbook.
func (s *Server) resultsXLSX(w http.ResponseWriter, r *http.Request) {
	c, t, err := s.load(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var buf bytes.Buffer
	if err := s.Results.WriteWorkbook(r.Context(), &buf, t); err != nil {
		s.fail(w, r, err)
		return
	}
	download(w, xlsxType, c.Slug+"-results.xlsx", buf.Bytes())
}

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (s *Server) breakdownCSV(w http.ResponseWriter, r *http.Request)  { s.breakdownFile(w, r, "csv") }
func (s *Server) breakdownXLSX(w http.ResponseWriter, r *http.Request) { s.breakdownFile(w, r, "xlsx") }

// breakdownFile is one breakdown table of a question as CSV or XLSX.
func (s *Server) breakdownFile(w http.ResponseWriter, r *http.Request, format string) {
	c, t, err := s.load(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := c.Question(chi.URLParam(r, "code"))
	if q == nil {
		s.fail(w, r, errQuestionNotFound)
		return
	}
	bs, err := s.Results.Breakdowns(r.Context(), t, q, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	slug := chi.URLParam(r, "breakdown")
	for _, b := range bs {
		if b.Slug != slug {
			continue
		}
		var buf bytes.Buffer
		name := c.Slug + "-" + q.Code + "-" + b.Slug + "." + format
		if format == "csv" {
			err = results.WriteBreakdownCSV(&buf, b)
		} else {
			err = results.WriteBreakdownXLSX(&buf, b)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ct := xlsxType
		if format == "csv" {
			ct = "text/csv; charset=utf-8"
		}
		download(w, ct, name, buf.Bytes())
		return
	}
	s.fail(w, r, errBreakdownNotFound)
}

// compare is every breakdown of a closed question, the slower ones
// (organisation, equality answers) included.
func (s *Server) compare(w http.ResponseWriter, r *http.Request) {
	c, t, err := s.load(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := c.Question(chi.URLParam(r, "code"))
	if q == nil || !q.Closed() {
		s.fail(w, r, errQuestionNotFound)
		return
	}
	base := "/consultations/" + c.Slug
	path := base + "/questions/" + q.Code
	query := r.URL.Query()
	bs, err := s.Results.Breakdowns(r.Context(), t, q, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := web.CompareView{
		Page: s.page(r, "Compare: "+q.Code+": "+c.Title, web.Crumb{Label: "Consultations", Href: "/"}, web.Crumb{Label: c.Title, Href: base}, web.Crumb{Label: q.Code, Href: withQuery(path, query)}),
		Code: q.Code, Prompt: q.Prompt, QuestionHref: withQuery(path, query),
		Filter: filterView(c, t.Filter, path+"/compare"), Covers: results.Describe(c, t.Filter),
		Breakdowns: bs, BreakdownHrefs: breakdownHrefs(path, query, bs),
	}
	if err := s.moreFilters(r, c, t.Filter, &v.Filter); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, web.Compare(v))
}
