package server

import (
	"net/http"
	"strconv"

	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/results"
	"heard/web"
)

// themeCodes adds to a theme's dashboard the counts of its codes (its
// open questions' answers, then its letter parts), protected for viewers
// and the public like the question pages, and for analysts the
// quote-worthy answers per code and a link to the theme's letter
// passages.
func (s *Server) themeCodes(r *http.Request, c *consultation.Consultation, th *consultation.Theme, t *results.Table, res results.ThemeResult, v *web.ThemeView) error {
	analyst := analystOrAbove(r)
	for _, qr := range res.Open {
		q := qr.Question
		cv, err := s.codeCounts(r, c, q, t)
		if err != nil {
			return err
		}
		if cv.Show {
			cv.Heading = "Codes given to answers to " + q.Code
			v.Codes = append(v.Codes, cv)
		}
		if !analyst {
			continue
		}
		quotes, err := s.themeQuotes(r, c, q)
		if err != nil {
			return err
		}
		v.Quotes = append(v.Quotes, quotes...)
	}
	cv, err := s.themeCodeCounts(r, c, th, t)
	if err != nil {
		return err
	}
	if cv.Show {
		cv.Heading = "Codes given to parts of letters and emails"
		v.Codes = append(v.Codes, cv)
	}
	if analyst {
		v.LettersHref = "/consultations/" + c.Slug + "/themes/" + th.Slug + "/letters"
	}
	return nil
}

// themeQuotes is q's quote-worthy answers per code, as on its quotes
// page (codes without quotes left out).
func (s *Server) themeQuotes(r *http.Request, c *consultation.Consultation, q *consultation.Question) ([]web.QuoteGroup, error) {
	cf, err := s.Coding.Codeframe(r.Context(), c.ID, coding.Frame{QuestionID: q.ID})
	if err != nil {
		return nil, err
	}
	quotes, err := s.Coding.Quotes(r.Context(), q.ID)
	if err != nil {
		return nil, err
	}
	byCode := map[int32][]web.QuoteItem{}
	for _, qu := range quotes {
		item := web.QuoteItem{Text: qu.Text, Group: quoteGroup(c, qu.GroupID), Ref: strconv.FormatInt(qu.ResponseID, 10), Href: responseHref(c, qu.ResponseID)}
		for _, id := range qu.CodeIDs {
			byCode[id] = append(byCode[id], item)
		}
	}
	var out []web.QuoteGroup
	for _, code := range cf.Codes {
		if len(byCode[code.ID]) > 0 {
			out = append(out, web.QuoteGroup{Code: q.Code + ": " + cf.Label(code), Quotes: byCode[code.ID]})
		}
	}
	return out, nil
}
