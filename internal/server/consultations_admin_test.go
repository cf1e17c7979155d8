package server_test

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"heard/internal/accounts"
)

// parksDefinition is a small valid definition that tests create
// consultations from (internal/e2e reads the same file).
var parksDefinition = readTestdata("testdata/parks.json")

// An admin creates a consultation from a file, edits it, opens it (the
// form takes responses) and closes it (the form refuses them); every
// problem in a file is named by field; every step is audited.
func TestAdminRunsAConsultationFromTheBrowser(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	anon := e.anonymous()

	res, body := admin.upload("/admin/consultations", "bad.json", []byte(`{"slug": "Bad Slug", "title": "", "opens_on": "soon", "closes_on": "2026-01-01", "questions": []}`), nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad file = %d", res.StatusCode)
	}
	for _, want := range []string{"slug: &#34;Bad Slug&#34; must be", "title: required", "opens_on: &#34;soon&#34; is not a date", "questions: a consultation needs at least one question", "<title>Error: Create a consultation"} {
		if !strings.Contains(body, want) {
			t.Errorf("bad file: page lacks %q", want)
		}
	}
	if res, body := admin.upload("/admin/consultations", "x.json", []byte(`{"slug": "x", "colour": "red"}`), nil); res.StatusCode != 422 || !strings.Contains(body, "unknown field") {
		t.Errorf("unknown field = %d", res.StatusCode)
	}

	res, body = admin.upload("/admin/consultations", "parks.json", []byte(parksDefinition), nil)
	if res.StatusCode != http.StatusOK || res.Request.URL.Path != "/admin/consultations/parks-2026" || !strings.Contains(body, "Created Our plan for parks as a draft") {
		t.Fatalf("create = %d at %s", res.StatusCode, res.Request.URL)
	}
	if res, body := admin.upload("/admin/consultations", "parks.json", []byte(parksDefinition), nil); res.StatusCode != 422 || !strings.Contains(body, "already exists") {
		t.Errorf("same slug again = %d", res.StatusCode)
	}
	for _, link := range []string{"/consultations/parks-2026\"", "/admin/consultations/parks-2026/imports", "/consultations/parks-2026/events", "/export/responses.csv", "/admin/users", "Open the consultation", "Opening makes the form public"} {
		if !strings.Contains(body, link) {
			t.Errorf("consultation page lacks %q", link)
		}
	}
	if res, _ := anon.get("/consultations/parks-2026/respond"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a draft's form for the public = %d, want 404", res.StatusCode)
	}

	// Details: every problem by field, then saved.
	res, body = admin.post("/admin/consultations/parks-2026/details", url.Values{"title": {""}, "opens_on": {"2026-02-01"}, "closes_on": {"2026-01-01"}})
	if res.StatusCode != 422 || !strings.Contains(body, "Enter a title") || !strings.Contains(body, "The closing date must be the same as or after the opening date") {
		t.Errorf("bad details = %d", res.StatusCode)
	}
	res, body = admin.post("/admin/consultations/parks-2026/details", url.Values{"title": {"Parks for everyone"}, "description": {"New words."}, "opens_on": {"2026-01-02"}, "closes_on": {"2099-12-30"}})
	if res.StatusCode != 200 || !strings.Contains(body, "Parks for everyone") || !strings.Contains(body, "30 Dec 2099") && !strings.Contains(body, "2099-12-30") {
		t.Errorf("details = %d", res.StatusCode)
	}

	// Open: the form is public. Close: it refuses responses.
	res, body = admin.post("/admin/consultations/parks-2026/status", url.Values{"from": {"draft"}})
	if res.StatusCode != 200 || !strings.Contains(body, "The consultation is open") || !strings.Contains(body, "Close the consultation") {
		t.Fatalf("open = %d", res.StatusCode)
	}
	if _, body := anon.get("/consultations/parks-2026/respond"); strings.Contains(body, "not open yet") || !strings.Contains(body, "Start now") {
		t.Error("an open consultation's form is not open")
	}
	if res, _ := admin.post("/admin/consultations/parks-2026/status", url.Values{"from": {"draft"}}); res.StatusCode != http.StatusConflict {
		t.Errorf("a stale status change = %d, want 409", res.StatusCode)
	}
	res, body = admin.post("/admin/consultations/parks-2026/status", url.Values{"from": {"open"}})
	if res.StatusCode != 200 || !strings.Contains(body, "The consultation is closed") || strings.Contains(body, "Open the consultation") {
		t.Fatalf("close = %d", res.StatusCode)
	}
	if _, body := anon.get("/consultations/parks-2026/respond"); !strings.Contains(body, "closed") {
		t.Error("a closed consultation's form still takes responses")
	}

	// A definition in use cannot lose parts; the CQC one has answers.
	res, body = admin.upload("/admin/consultations/cqc-2021/definition", "cqc.json", []byte(strings.Replace(parksDefinition, "parks-2026", "cqc-2021", 1)), nil)
	if res.StatusCode != 422 || !strings.Contains(body, "already have answers and cannot be removed") {
		t.Errorf("removing answered questions = %d", res.StatusCode)
	}

	// A copy has the structure but no responses, as a draft.
	res, body = admin.post("/admin/consultations/copy", url.Values{"from": {"cqc-2021"}, "slug": {"Not a slug"}, "title": {""}})
	if res.StatusCode != 422 || !strings.Contains(body, "Enter a short name") || !strings.Contains(body, "Enter a title") {
		t.Errorf("bad copy = %d", res.StatusCode)
	}
	res, body = admin.post("/admin/consultations/copy", url.Values{"from": {"cqc-2021"}, "slug": {"cqc-2021-copy"}, "title": {"CQC strategy, again"}})
	if res.StatusCode != 200 || !strings.Contains(body, "as a draft copy of cqc-2021") || !strings.Contains(body, "8 themes, 23 questions") && !strings.Contains(body, "questions") {
		t.Fatalf("copy = %d", res.StatusCode)
	}
	if !strings.Contains(body, "Its closing date has passed") {
		t.Error("a draft whose closing date has passed does not say so")
	}
	if res, body := admin.upload("/admin/consultations", "new.json", []byte(strings.Replace(parksDefinition, "parks-2026", "new", 1)), nil); res.StatusCode != 422 || !strings.Contains(body, "creates consultations") {
		t.Errorf("slug new = %d", res.StatusCode)
	}
	if _, body := admin.get("/consultations/cqc-2021-copy"); !strings.Contains(body, "0</span> responses") && !strings.Contains(body, ">0<") {
		t.Error("the copy has responses")
	}
	_, def := admin.get("/admin/consultations/cqc-2021-copy/definition.json")
	if !strings.Contains(def, `"slug": "cqc-2021-copy"`) || !strings.Contains(def, `"code": "Q6a"`) {
		t.Errorf("definition.json of the copy: %.200s", def)
	}

	_, body = admin.get("/admin/audit?consultation=parks-2026")
	for _, want := range []string{"consultation_created", "consultation_details_changed", "consultation_status_changed"} {
		if !strings.Contains(body, want) {
			t.Errorf("audit log lacks %s", want)
		}
	}
}

// readTestdata reads a fixture when the test binary starts.
func readTestdata(path string) string {
	b, err := os.ReadFile(path)
	if err != nil {
		panic(err)
	}
	return string(b)
}
