package batchimport_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"heard/internal/batchimport"
	"heard/internal/db"
	"heard/internal/export"
)

var plain = msg(
	"From: =?UTF-8?Q?Zo=C3=AB_Bront=C3=AB?= <zoe@example.org>",
	"To: strategy@cqc.example",
	"Subject: =?ISO-8859-1?Q?R=E9ponse_=E0_la_consultation?=",
	"Date: Tue, 2 Feb 2021 10:00:00 +0000",
	"Message-ID: <one@example.org>",
	"MIME-Version: 1.0",
	"Content-Type: text/plain; charset=utf-8",
	"Content-Transfer-Encoding: quoted-printable",
	"",
	"Q1a: Mostly",
	"I support putting people=E2=80=99s experiences first, but staff views m=",
	"atter too.",
	"",
	"Q3b) The strategy lacks any mention of safeguarding.",
	"")

var htmlOnly = msg(
	"From: Team Lead <lead@cqc.org.uk>",
	"Subject: Our team's response",
	"Date: Wed, 3 Feb 2021 09:30:00 +0000",
	"Message-ID: <two@cqc.org.uk>",
	"MIME-Version: 1.0",
	"Content-Type: text/html; charset=windows-1252",
	"Content-Transfer-Encoding: base64",
	"",
	b64("<html><body><h2>Smarter regulation</h2><p>We welcome more use of data \x96 but need assurances on how it is sourced.</p></body></html>"),
	"")

func nested(t *testing.T) []byte {
	return msg(
		"From: Charity <info@carers.example>",
		"Subject: Response attached",
		"Date: Thu, 4 Feb 2021 12:00:00 +0000",
		"Message-ID: <three@carers.example>",
		"MIME-Version: 1.0",
		`Content-Type: multipart/mixed; boundary="outer"`,
		"",
		"--outer",
		`Content-Type: multipart/alternative; boundary="inner"`,
		"",
		"--inner",
		"Content-Type: text/plain; charset=us-ascii",
		"",
		"Please find our response attached.",
		"--inner",
		"Content-Type: text/html; charset=us-ascii",
		"",
		"<p>Please find our response attached.</p>",
		"--inner--",
		"--outer",
		`Content-Type: text/plain; charset=utf-8; name="response.txt"`,
		`Content-Disposition: attachment; filename="response.txt"`,
		"Content-Transfer-Encoding: base64",
		"",
		b64("Tackling inequalities\n\nDigital-only routes will exclude some carers.\n"),
		"--outer",
		`Content-Type: image/png; name="logo.png"`,
		`Content-Disposition: attachment; filename="logo.png"`,
		"Content-Transfer-Encoding: base64",
		"",
		b64("\x89PNG not really"),
		"--outer--",
		"")
}

func TestImportEmails(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	public := e.c.Group("public")
	mbox := "From zoe@example.org Tue Feb  2 10:00:00 2021\n" + strings.ReplaceAll(string(plain), "\r\n", "\n") +
		"\nFrom lead@cqc.org.uk Wed Feb  3 09:30:00 2021\n" + strings.ReplaceAll(string(htmlOnly), "\r\n", "\n") + "\n"
	rep := e.importFile("inbox.mbox", []byte(mbox), batchimport.Options{Group: public})
	if rep.Status != "imported" || rep.Imported != 2 || len(rep.Problems) != 0 {
		t.Fatalf("mbox: %+v\n%s", rep, problems(rep))
	}
	rep = e.importFile("attached.zip", zipOf(t, [2]string{"a/three.eml", string(nested(t))}), batchimport.Options{Channel: "letter"})
	if rep.Imported != 1 || len(rep.Problems) != 0 {
		t.Fatalf("zip: %+v\n%s", rep, problems(rep))
	}
	if n := e.total(); n != 3 {
		t.Errorf("%d responses, want 3", n)
	}
	// Q1a stated explicitly; Q3b and Smarter regulation's text counted
	// towards their open questions; the attachment's theme section too.
	for code, want := range map[string]int64{"Q1a": 1, "Q1b": 1, "Q3b": 1, "Q2b": 1, "Q6b": 1, "Q2a": 0} {
		if got := e.answered(code); got != want {
			t.Errorf("%s answered by %d, want %d", code, got, want)
		}
	}

	var out strings.Builder
	if err := export.Write(ctx, e.pool, e.c, "json", export.NotRedacted, &out); err != nil {
		t.Fatal(err)
	}
	j := out.String()
	for _, want := range []string{
		`"source_ref":"one@example.org"`, `"sender_name":"Zoë Brontë"`, `"subject":"Réponse à la consultation"`,
		`"Q1a":"mostly"`, `"suggested_group":"cqc-teams"`, `"channel":"letter"`, `"logo.png"`,
		`"question":"Q3b"`, `"theme":"smarter-regulation"`, `data – but need assurances`, `Digital-only routes`,
	} {
		if !strings.Contains(j, want) {
			t.Errorf("export lacks %s", want)
		}
	}
	// The original bytes are kept for provenance.
	var raw []byte
	if err := e.pool.QueryRow(ctx, `SELECT raw FROM response_sources WHERE message_id = 'one@example.org'`).Scan(&raw); err != nil {
		t.Fatal(err)
	}
	if string(raw) != string(plain) {
		t.Error("the original message bytes were not kept exactly")
	}
	// Segment offsets point into the stored text (characters, not bytes).
	var bad int
	if err := e.pool.QueryRow(ctx, `SELECT count(*) FROM segments sg JOIN response_sources s USING (response_id)
		WHERE sg.end_offset > char_length(s.full_text)`).Scan(&bad); err != nil || bad != 0 {
		t.Errorf("%d segments point past their text (%v)", bad, err)
	}
}

func TestNeverTwice(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first := e.importFile("one.eml", plain, batchimport.Options{})
	again := e.importFile("one-again.eml", plain, batchimport.Options{})
	if first.Imported != 1 || again.Imported != 0 || len(again.Duplicates) != 1 || again.Status != "imported" {
		t.Fatalf("re-import: first %+v, again %+v", first, again)
	}
	// Same sender, same text, a new Message-ID: reported as a duplicate.
	resent := []byte(strings.Replace(string(plain), "<one@example.org>", "<one-resent@example.org>", 1))
	rep := e.importFile("resent.eml", resent, batchimport.Options{})
	if rep.Imported != 0 || len(rep.Duplicates) != 1 || !strings.Contains(rep.Duplicates[0].Reason, "same text from the same sender") {
		t.Errorf("resent copy: %+v", rep)
	}
	if e.total() != 1 {
		t.Errorf("%d responses after three imports of one letter", e.total())
	}
}

// A hostile corpus: every file with a problem is rejected whole and
// leaves a batch record; nothing is half-imported.
func TestNeverHalf(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	good := string(plain)
	cut := msg("From: a@example.org", "Message-ID: <cut@example.org>", "MIME-Version: 1.0",
		`Content-Type: multipart/mixed; boundary="b"`, "", "--b", "Content-Type: text/plain", "", "never ends")
	nul := msg("From: n@example.org", "Message-ID: <nul@example.org>", "Content-Type: text/plain", "", "bad \x00 byte")
	var bomb strings.Builder
	bomb.WriteString(good)
	cases := []struct {
		name, file string
		data       []byte
		want       string
	}{
		{"truncated multipart", "cut.mbox", []byte("From a@example.org Tue Feb  2 10:00:00 2021\n" + strings.ReplaceAll(good, "\r\n", "\n") + "\nFrom b@x Tue Feb  2 10:00:00 2021\n" + string(cut)), "message 2"},
		{"NUL bytes", "nul.zip", zipOf(t, [2]string{"good.eml", good}, [2]string{"nul.eml", string(nul)}), "nul.eml"},
		{"not an email in a zip", "mixed.zip", zipOf(t, [2]string{"good.eml", good}, [2]string{"notes.docx", "x"}), "notes.docx"},
		{"zip bomb", "bomb.zip", zipOf(t, [2]string{"good.eml", good}, [2]string{"big.eml", strings.Repeat("A", 30<<20)}), "big.eml"},
		{"not a zip", "broken.zip", []byte("PK\x03\x04 this is not a zip"), "zip"},
		{"empty mbox", "empty.mbox", nil, "no messages"},
	}
	for _, c := range cases {
		rep := e.importFile(c.file, c.data, batchimport.Options{})
		if rep.Status != "rejected" || rep.Imported != 0 || !strings.Contains(problems(rep), c.want) {
			t.Errorf("%s: status %s, imported %d, problems:\n%s\nwant rejected naming %q", c.name, rep.Status, rep.Imported, problems(rep), c.want)
		}
	}
	if n := e.total(); n != 0 {
		t.Fatalf("%d responses stored from rejected files", n)
	}
	var rejected int
	if err := e.pool.QueryRow(context.Background(), `SELECT count(*) FROM import_batches WHERE status = 'rejected'`).Scan(&rejected); err != nil || rejected != len(cases) {
		t.Errorf("%d rejected batch records, want %d (%v)", rejected, len(cases), err)
	}
	// --skip-invalid imports the good part and lists the rest.
	rep := e.importFile("nul.zip", zipOf(t, [2]string{"good.eml", good}, [2]string{"nul.eml", string(nul)}), batchimport.Options{SkipInvalid: true})
	if rep.Status != "partial" || rep.Imported != 1 || rep.Rejected != 1 {
		t.Errorf("skip-invalid: %+v\n%s", rep, problems(rep))
	}
	q := db.New(e.pool)
	batches, err := q.ListBatches(context.Background(), e.c.ID)
	if err != nil || len(batches) != len(cases)+1 || batches[0].Sha256 == "" || batches[0].FileName != "nul.zip" {
		t.Errorf("batches: %d, %v", len(batches), err)
	}
	if _, err := e.svc.ImportPath(context.Background(), e.file("x.doc", []byte("%PDF")), "x.doc", batchimport.Options{Consultation: e.c}); err == nil {
		t.Error("a .doc file was accepted as an import")
	}
}

// A long organisational letter structured by the theme headings comes out
// with its sections attributed to the right themes.
func TestLetterByThemeHeadings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	letter, err := os.ReadFile("../segment/testdata/letter.txt")
	if err != nil {
		t.Fatal(err)
	}
	m := msg("From: Carers Together <info@carers.example>", "Subject: Our response", "Date: Mon, 1 Mar 2021 09:00:00 +0000",
		"Message-ID: <letter@carers.example>", "Content-Type: text/plain; charset=utf-8", "", strings.ReplaceAll(string(letter), "\n", "\r\n"))
	rep := e.importFile("letter.eml", m, batchimport.Options{Channel: "letter"})
	if rep.Imported != 1 {
		t.Fatalf("%+v\n%s", rep, problems(rep))
	}
	rows, err := e.pool.Query(context.Background(), `SELECT t.slug, substring(s.full_text FROM sg.start_offset + 1 FOR sg.end_offset - sg.start_offset)
		FROM segments sg JOIN response_sources s USING (response_id) LEFT JOIN themes t ON t.id = sg.theme_id ORDER BY sg.position`)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for rows.Next() {
		var slug *string
		var text string
		if err := rows.Scan(&slug, &text); err != nil {
			t.Fatal(err)
		}
		if slug != nil {
			got[*slug] += text
		}
	}
	for slug, phrase := range map[string]string{
		"people-and-communities":   "rarely know how to give",
		"smarter-regulation":       "Data alone cannot tell you",
		"safety-through-learning":  "lack of mention of safeguarding",
		"accelerating-improvement": "Sharing examples of good practice",
		"assessing-systems":        "how local systems work together",
		"tackling-inequalities":    "digital-only routes",
	} {
		if !strings.Contains(got[slug], phrase) {
			t.Errorf("theme %s lacks %q: %q", slug, phrase, got[slug])
		}
	}
	for _, code := range []string{"Q1b", "Q2b", "Q3b", "Q4b", "Q5b", "Q6b"} {
		if e.answered(code) != 1 {
			t.Errorf("%s: the letter's section did not count towards it", code)
		}
	}
	if e.answered("Q1a") != 0 {
		t.Error("a closed answer was inferred from the letter's tone")
	}
}
