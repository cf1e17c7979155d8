package batchimport_test

import (
	"context"
	"encoding/base64"
	"os"
	"strings"
	"testing"

	"heard/internal/batchimport"
)

// docxEmail is an email as Thunderbird sends one with a Word attachment:
// a short body and the letter, base64 in 72-character lines.
func docxEmail(t *testing.T) []byte {
	t.Helper()
	docx, err := os.ReadFile("../mailimport/testdata/northshire-letter.docx")
	if err != nil {
		t.Fatal(err)
	}
	enc := base64.StdEncoding.EncodeToString(docx)
	var lines []string
	for len(enc) > 72 {
		lines, enc = append(lines, enc[:72]), enc[72:]
	}
	lines = append(lines, enc)
	return msg(append([]string{
		"Content-Type: multipart/mixed; boundary=\"------------8ZCq1Yk0Hn2aBxqK0V3pJ7mQ\"",
		"Message-ID: <6f1c2a3e-9d0b-4b7e-8a51-2c3d4e5f6a7b@northshire-care.example>",
		"Date: Mon, 1 Mar 2021 16:42:10 +0000",
		"MIME-Version: 1.0",
		"User-Agent: Mozilla Thunderbird",
		"Content-Language: en-GB",
		"To: strategy@cqc.example",
		"From: Priya Shah <priya.shah@northshire-care.example>",
		"Subject: Consultation response - Northshire Care Association",
		"",
		"This is a multi-part message in MIME format.",
		"--------------8ZCq1Yk0Hn2aBxqK0V3pJ7mQ",
		"Content-Type: text/plain; charset=UTF-8; format=flowed",
		"Content-Transfer-Encoding: 7bit",
		"",
		"Dear strategy team,",
		"",
		"Please find attached our response to the consultation.",
		"",
		"Priya",
		"",
		"--------------8ZCq1Yk0Hn2aBxqK0V3pJ7mQ",
		"Content-Type: application/vnd.openxmlformats-officedocument.wordprocessingml.document;",
		" name=\"Northshire response.docx\"",
		"Content-Disposition: attachment; filename=\"Northshire response.docx\"",
		"Content-Transfer-Encoding: base64",
		"",
	}, append(lines, "", "--------------8ZCq1Yk0Hn2aBxqK0V3pJ7mQ--", "")...)...)
}

// A long letter in a .docx with its own headings, some of one word,
// comes out with each section on the right theme; a heading that names
// no theme leaves its section for an analyst.
func TestDocxLetterByItsOwnHeadings(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	rep := e.importFile("northshire.eml", docxEmail(t), batchimport.Options{Channel: "letter"})
	if rep.Imported != 1 || len(rep.Problems) != 0 {
		t.Fatalf("%+v\n%s", rep, problems(rep))
	}
	rows, err := e.pool.Query(context.Background(), `SELECT coalesce(t.slug, ''), sg.why,
		substring(s.full_text FROM sg.start_offset + 1 FOR sg.end_offset - sg.start_offset)
		FROM segments sg JOIN response_sources s USING (response_id) LEFT JOIN themes t ON t.id = sg.theme_id ORDER BY sg.position`)
	if err != nil {
		t.Fatal(err)
	}
	type seg struct{ theme, why, text string }
	var segs []seg
	for rows.Next() {
		var s seg
		if err := rows.Scan(&s.theme, &s.why, &s.text); err != nil {
			t.Fatal(err)
		}
		segs = append(segs, s)
	}
	find := func(phrase string) seg {
		for _, s := range segs {
			if strings.Contains(s.text, phrase) {
				return s
			}
		}
		for _, s := range segs {
			t.Logf("%s / %s / %.80q", s.theme, s.why, s.text)
		}
		t.Fatalf("no segment holds %q", phrase)
		return seg{}
	}
	for phrase, want := range map[string]string{
		"rarely know how to give feedback":           "people-and-communities",
		"data alone cannot tell you":                 "smarter-regulation",
		"lack of mention of safeguarding":            "safety-through-learning",
		"Recruitment of registered nurses":           "",
		"Sharing examples of good practice":          "accelerating-improvement",
		"how the local system works together":        "assessing-systems",
		"poorer parts of the county":                 "tackling-inequalities",
		"often not able to speak up":                 "equality-impact",
		"Overall we support the direction":           "",
		"The Northshire Care Association represents": "",
	} {
		if s := find(phrase); s.theme != want {
			t.Errorf("%q is on %q (%s), want %q", phrase, s.theme, s.why, want)
		}
	}
	if s := find("Recruitment of registered nurses"); !strings.Contains(s.why, `"Our workforce" names no theme`) {
		t.Errorf("unattributed section's reason: %q", s.why)
	}
	if s := find("lack of mention of safeguarding"); !strings.Contains(s.why, `"safety"`) {
		t.Errorf("safety section's reason: %q", s.why)
	}
	// The sending organisation, from the signature block, for an analyst to confirm.
	var org, source string
	var onBehalf, confirmed bool
	if err := e.pool.QueryRow(context.Background(), `SELECT r.organisation, r.on_behalf_of_org, s.organisation_source, s.organisation_confirmed
		FROM responses r JOIN response_sources s ON s.response_id = r.id`).Scan(&org, &onBehalf, &source, &confirmed); err != nil {
		t.Fatal(err)
	}
	if org != "Northshire Care Association" || !onBehalf || source != "the signature block" || confirmed {
		t.Errorf("organisation %q, on behalf %v, found in %q, confirmed %v", org, onBehalf, source, confirmed)
	}
	for _, code := range []string{"Q1b", "Q2b", "Q3b", "Q4b", "Q5b", "Q6b", "Q7"} {
		if e.answered(code) != 1 {
			t.Errorf("%s: the letter's section did not count towards it", code)
		}
	}
}
