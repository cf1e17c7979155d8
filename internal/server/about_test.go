package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"heard/internal/accounts"
)

// The public list never leads the public to a sign-in page: a title goes
// to the published results or to a page saying they are not published
// yet, with the way to respond while the consultation is open. Drafts are
// not listed for the public.
func TestPublicListLeadsToResultsOrAboutPage(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	anon := e.anonymous()
	admin.upload("/admin/consultations", "parks.json", []byte(parksDefinition), nil)
	admin.post("/admin/consultations/copy", url.Values{"from": {"cqc-2021"}, "slug": {"cqc-open"}, "title": {"CQC strategy, open copy"}})
	admin.post("/admin/consultations/cqc-open/details", url.Values{"title": {"CQC strategy, open copy"}, "opens_on": {"2020-01-01"}, "closes_on": {"2099-12-31"}})
	admin.post("/admin/consultations/cqc-open/status", url.Values{"from": {"draft"}})

	_, home := anon.get("/")
	d := doc(t, home)
	if strings.Contains(home, "Our plan for parks") {
		t.Error("the public list shows a draft")
	}
	for slug, want := range map[string]string{"cqc-2021": "/consultations/cqc-2021/about", "cqc-open": "/consultations/cqc-open/about"} {
		if d.Find(`a[href="`+want+`"]`).Length() != 1 {
			t.Errorf("home: no link to %s for %s", want, slug)
		}
	}
	res, body := anon.noRedirects().get("/consultations/cqc-2021/about")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "not published yet") || strings.Contains(body, "Respond to this consultation") {
		t.Errorf("about a closed consultation = %d", res.StatusCode)
	}
	_, body = anon.get("/consultations/cqc-open/about")
	if !strings.Contains(body, `href="/consultations/cqc-open/respond"`) {
		t.Error("about an open consultation has no link to respond")
	}
	if res, _ := anon.get("/consultations/parks-2026/about"); res.StatusCode != http.StatusNotFound {
		t.Errorf("about a draft for the public = %d, want 404", res.StatusCode)
	}

	// cqc-2021 is closed, so it can be published once the admin confirms
	// the review.
	if res, _ := admin.post("/admin/consultations/cqc-2021/publish", url.Values{"published": {"true"}, "confirm": {"yes"}}); res.StatusCode != http.StatusOK {
		t.Fatalf("publishing cqc-2021 = %d", res.StatusCode)
	}
	_, home = anon.get("/")
	if doc(t, home).Find(`a[href="/consultations/cqc-2021"]`).Length() != 1 {
		t.Error("home: published results are not linked")
	}
	if _, body := anon.get("/consultations/cqc-2021/about"); !strings.Contains(body, "Read the published results") {
		t.Error("about page of published results does not link to them")
	}

	// Signed in, titles go to the results; admins manage from there.
	_, home = admin.get("/")
	if doc(t, home).Find(`a[href="/consultations/parks-2026"]`).Length() != 1 {
		t.Error("admin's list does not link the draft to its results")
	}
	if _, body := admin.get("/consultations/cqc-2021"); !strings.Contains(body, `href="/admin/consultations/cqc-2021"`) {
		t.Error("the overview does not link admins to the consultation's admin page")
	}
}
