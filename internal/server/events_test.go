package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"heard/internal/accounts"
)

const eventsPath = "/consultations/cqc-2021/events"

// recordEvent records an event through the form and returns its path.
func recordEvent(t *testing.T, c *client, name, attendees string) string {
	t.Helper()
	res, body := c.post(eventsPath, url.Values{
		"name": {name}, "day": {"12"}, "month": {"2"}, "year": {"2021"}, "format": {"focus-group"},
		"where": {"in-person"}, "place": {"Leeds"}, "attendees": {attendees}, "groups": {"public"}, "reached": {"unpaid carers"},
	})
	if res.StatusCode != 200 || !strings.Contains(body, "Event recorded") {
		t.Fatalf("record event = %d at %s", res.StatusCode, res.Request.URL)
	}
	return res.Request.URL.Path
}

// entryKey opens a fresh entry screen and returns its key.
func entryKey(t *testing.T, c *client, event string) string {
	t.Helper()
	res, body := c.get(event + "/responses/new")
	key, ok := doc(t, body).Find(`input[name="key"]`).Attr("value")
	if res.StatusCode != 200 || !ok || len(key) != 32 {
		t.Fatalf("entry screen = %d, key %q", res.StatusCode, key)
	}
	return key
}

func TestFacilitatorRecordsAnEventAndTypesUpResponses(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	analyst := e.user("facilitator@example.org", accounts.Analyst)

	res, body := analyst.post(eventsPath, url.Values{"where": {"in-person"}})
	d := doc(t, body)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.HasPrefix(d.Find("title").Text(), "Error: Record an event") {
		t.Errorf("empty event form = %d, title %q", res.StatusCode, d.Find("title").Text())
	}
	for _, id := range []string{"name", "held-on-day", "format", "place", "attendees"} {
		if d.Find(`.govuk-error-summary a[href="#`+id+`"]`).Length() != 1 || d.Find("#"+id).Length() != 1 {
			t.Errorf("error summary does not link to an input #%s", id)
		}
	}

	event := recordEvent(t, analyst, "Carers' focus group", "12")
	key := entryKey(t, analyst, event)
	form := url.Values{"key": {key}, "group": {"public"}, "answer-Q1a": {"mostly"}, "answer-Q1b": {"Worried about follow-up."}, "then": {"another"}}
	res, body = analyst.post(event+"/responses", form)
	if res.StatusCode != 200 || !strings.Contains(body, "saved. Type up the next one.") || res.Request.URL.Query().Get("group") != "public" {
		t.Fatalf("save and add another = %d at %s", res.StatusCode, res.Request.URL)
	}
	if checked, _ := doc(t, body).Find(`input[name="group"][checked]`).Attr("value"); checked != "public" {
		t.Errorf("the next screen has group %q chosen, want the last one's", checked)
	}
	// The same screen sent again stores nothing more.
	_, body = analyst.post(event+"/responses", form)
	if !strings.Contains(body, "had already been saved") {
		t.Error("a resubmitted screen was not reported as already saved")
	}
	res, body = analyst.post(event+"/responses", url.Values{"key": {entryKey(t, analyst, event)}, "answer-Q1a": {"nonsense"}})
	if res.StatusCode != http.StatusUnprocessableEntity || doc(t, body).Find(`.govuk-error-summary a[href="#answer-Q1a"]`).Length() != 1 {
		t.Errorf("a bad answer = %d", res.StatusCode)
	}
	res, body = analyst.post(event+"/responses", url.Values{"key": {entryKey(t, analyst, event)}, "answer-Q7": {"On equality."}, "then": {"finish"}})
	if res.StatusCode != 200 || res.Request.URL.Path != event || !strings.Contains(body, "saved") {
		t.Errorf("save and finish = %d at %s", res.StatusCode, res.Request.URL)
	}
	d = doc(t, body)
	if got := d.Find(".heard-figure").First().Text(); got != "2" {
		t.Errorf("the event's own count = %q, want 2", got)
	}
	if d.Find(`a[href$="/upload"]`).Length() != 0 || d.Find(`form[action$="/delete"]`).Length() != 0 {
		t.Error("an analyst is offered the admins' upload or delete")
	}

	// Notes: attributed, listed for analysts, summarised for viewers.
	res, _ = analyst.post(event+"/notes", url.Values{"about": {"theme:people-and-communities"}, "note-attendees": {"13"}, "note-text": {"x"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a note with more people than attended = %d", res.StatusCode)
	}
	res, _ = analyst.post(event+"/notes", url.Values{"about": {"theme:people-and-communities"}, "note-attendees": {"12"}, "note-text": {"Carers want to be asked, not told."}})
	if res.StatusCode != 200 {
		t.Fatalf("add note = %d", res.StatusCode)
	}
	_, body = analyst.get("/consultations/cqc-2021/questions/Q1b")
	// The demo's events have notes on this theme too: 3 events, 108 attendees.
	if !strings.Contains(body, "4 events, 120 attendees, notes on this theme") || !strings.Contains(body, "Carers want to be asked, not told.") {
		t.Error("the open question does not show the group note beside its answers")
	}
	_, body = analyst.get("/consultations/cqc-2021/questions/Q1b?channel=webform")
	if strings.Contains(body, "Carers want to be asked") {
		t.Error("group notes shown under a webform-only filter")
	}
	viewer := e.user("viewer@example.org", accounts.Viewer)
	_, body = viewer.get("/consultations/cqc-2021/questions/Q1a")
	if !strings.Contains(body, "4 events, 120 attendees") || strings.Contains(body, "Carers want to be asked") {
		t.Error("viewers should see the summary of group notes, never their text")
	}

	// The overview: 65 demo event responses plus 2 typed up; attendees apart.
	_, body = viewer.get("/consultations/cqc-2021")
	d = doc(t, body)
	row := d.Find(`table:contains("By channel") tr:contains("Engagement events") td`).First().Text()
	if row != "67" {
		t.Errorf("responses through events = %q, want 67", row)
	}
	if total := d.Find(".heard-figure").First().Text(); total != "792" {
		t.Errorf("total responses = %q, want 792 (attendees are not respondents)", total)
	}
	if !strings.Contains(body, "67 responses came through engagement events") || !strings.Contains(body, "67 of them are linked to an event recorded here") {
		t.Error("the overview does not say how event responses relate to recorded events")
	}
	events := d.Find(`#events ~ .heard-scroll table tbody tr`)
	if events.Length() == 0 {
		t.Error("the overview lists no recorded events")
	}
	if events.Find("a").Length() != 0 {
		t.Error("viewers are linked to event pages they cannot open")
	}

	admin := e.user("admin@example.org", accounts.Admin)
	_, body = admin.get("/admin/audit?action=event_response_added")
	if n := strings.Count(body, "facilitator@example.org"); n != 2 {
		t.Errorf("%d typed-up responses in the audit log, want 2", n)
	}
}

func TestAdminUploadsAnEventsResponsesAndDeletesAnEmptyEvent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	admin := e.user("admin@example.org", accounts.Admin)
	event := recordEvent(t, admin, "Drop-in", "40")
	csv := "reference,respondent_group,Q1a,Q1b\n1,public,Fully,Said at the drop-in.\n2,,Mostly,\n"
	res, body := admin.upload(event+"/upload", "forms.csv", []byte(csv), nil)
	if res.StatusCode != 200 || !strings.Contains(body, "2 responses imported") {
		t.Fatalf("upload = %d: %s", res.StatusCode, doc(t, body).Find("main").Text())
	}
	res, body = admin.upload(event+"/upload", "bad.csv", []byte("reference,Q1a\n1,Hugely\n"), nil)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "was not imported") || !strings.Contains(body, "not an answer to Q1a") {
		t.Errorf("bad upload = %d", res.StatusCode)
	}
	res, _ = admin.upload(event+"/upload", "mail.mbox", []byte("From x"), nil)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("an mbox for an event = %d", res.StatusCode)
	}
	_, body = admin.get(event)
	if !strings.Contains(body, "uploaded from a file") || strings.Contains(body, "Delete event") {
		t.Error("the event page does not list uploaded responses, or offers to delete an event with responses")
	}
	if res, _ := admin.post(event+"/delete", nil); res.StatusCode != http.StatusConflict {
		t.Errorf("delete an event with responses = %d, want 409", res.StatusCode)
	}
	empty := recordEvent(t, admin, "Cancelled", "0")
	res, body = admin.post(empty+"/delete", nil)
	if res.StatusCode != 200 || !strings.Contains(body, "Deleted Cancelled") {
		t.Errorf("delete an empty event = %d", res.StatusCode)
	}
	if res, _ := admin.get(empty); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleted event = %d, want 404", res.StatusCode)
	}
	if res, _ := admin.get(eventsPath + "/999999/notes/1/edit"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a missing event's note = %d", res.StatusCode)
	}
}

func TestEventsAndNotesAreEditedThroughTheirForms(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	analyst := e.user("facilitator@example.org", accounts.Analyst)
	event := recordEvent(t, analyst, "Webinar for providers", "30")

	res, body := analyst.get(event + "/edit")
	if v, _ := doc(t, body).Find("#name").Attr("value"); res.StatusCode != 200 || v != "Webinar for providers" {
		t.Fatalf("edit form = %d, name %q", res.StatusCode, v)
	}
	form := url.Values{"name": {"Webinar for providers"}, "day": {"3"}, "month": {"3"}, "year": {"2021"}, "format": {"webinar"},
		"where": {"online"}, "attendees": {"many"}, "groups": {"providers"}}
	res, body = analyst.post(event, form)
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "Number of attendees must be a whole number") {
		t.Errorf("bad edit = %d", res.StatusCode)
	}
	form.Set("attendees", "31")
	res, body = analyst.post(event, form)
	if res.StatusCode != 200 || !strings.Contains(body, "Event details saved") || !strings.Contains(body, "Online") || !strings.Contains(body, "Webinar") {
		t.Errorf("edit = %d", res.StatusCode)
	}
	_, body = analyst.get(eventsPath)
	if row := doc(t, body).Find(`tr:contains("Webinar for providers")`).Text(); !strings.Contains(row, "31") {
		t.Error("the events list does not show the edited event")
	}

	res, _ = analyst.post(event+"/notes", url.Values{"about": {"question:Q2b"}, "note-attendees": {"20"}, "note-text": {"Providers want clearer ratings."}})
	if res.StatusCode != 200 {
		t.Fatalf("add note = %d", res.StatusCode)
	}
	_, body = analyst.get(event)
	edit, ok := doc(t, body).Find(`a[href*="/notes/"][href$="/edit"]`).Attr("href")
	if !ok {
		t.Fatal("no link to edit the note")
	}
	res, body = analyst.get(edit)
	if res.StatusCode != 200 || doc(t, body).Find(`#about option[value="question:Q2b"][selected]`).Length() != 1 {
		t.Errorf("note form = %d, or does not show what the note is about", res.StatusCode)
	}
	note := strings.TrimSuffix(edit, "/edit")
	res, body = analyst.post(note, url.Values{"about": {"theme:smarter-regulation"}, "note-attendees": {"18"}, "note-text": {"Providers want clearer ratings, and sooner."}})
	if res.StatusCode != 200 || !strings.Contains(body, "Group note saved") || !strings.Contains(body, "About the theme Smarter regulation") {
		t.Errorf("edit note = %d", res.StatusCode)
	}
	res, body = analyst.post(note+"/delete", nil)
	if res.StatusCode != 200 || !strings.Contains(body, "Group note deleted") || strings.Contains(body, "clearer ratings") {
		t.Errorf("delete note = %d", res.StatusCode)
	}
	if res, _ := analyst.get(edit); res.StatusCode != http.StatusNotFound {
		t.Errorf("deleted note's form = %d, want 404", res.StatusCode)
	}
	admin := e.user("admin@example.org", accounts.Admin)
	res, body = admin.get(event + "/upload")
	if res.StatusCode != 200 || doc(t, body).Find(`a[href="/admin/consultations/cqc-2021/template.csv"]`).Length() != 1 {
		t.Errorf("upload page = %d, or no link to the template", res.StatusCode)
	}
	_, body = admin.get("/admin/audit?action=event_changed")
	if !strings.Contains(body, "facilitator@example.org") {
		t.Error("editing the event is not in the audit log")
	}
}
