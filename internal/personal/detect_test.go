package personal

import (
	"strings"
	"testing"
)

// found lists the detected spans as "kind:text" for readable tables.
func found(text string) []string {
	var out []string
	for _, s := range Detect(text) {
		out = append(out, string(s.Kind)+":"+text[s.Start:s.End])
	}
	return out
}

func TestDetect(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"email", "Write to jo.bloggs+cqc@example.co.uk today.", []string{"email:jo.bloggs+cqc@example.co.uk"}},
		{"no email without a domain", "meet @ the hall", nil},
		{"mobile", "Ring me on 07911 123456 please", []string{"phone:07911 123456"}},
		{"landline with area code in brackets", "Tel: (020) 7946 0018.", []string{"phone:(020) 7946 0018"}},
		{"international form", "call +44 7911 123456", []string{"phone:+44 7911 123456"}},
		{"not a phone: a year range", "between 2019 2020 2021", nil},
		{"not a phone: too short", "room 0123 45", nil},
		{"not a phone: Ofcom drama range", "07700 900123", nil},
		{"NHS number spaced", "my NHS number is 943 476 5919.", []string{"nhs_number:943 476 5919"}},
		{"NHS number together", "NHS no 9434765919", []string{"nhs_number:9434765919"}},
		{"NHS check digit wrong", "ref 943 476 5918", nil},
		{"NI number", "NI: QQ 12 34 56 C", nil}, // QQ is never issued
		{"NI number valid", "NI number AB123456C.", []string{"ni_number:AB123456C"}},
		{"NI banned prefix", "GB123456A", nil},
		{"postcode", "I live at 10 Downing Street, London SW1A 2AA.", []string{"postcode:SW1A 2AA"}},
		{"postcode short", "in M1 1AE now", []string{"postcode:M1 1AE"}},
		{"postcode inward letters", "code M1 1CI", nil},
		{"date of birth numeric", "my date of birth is 03/07/1948.", []string{"date_of_birth:03/07/1948"}},
		{"born on", "Mum was born on 3rd March 1931 in Leeds", []string{"date_of_birth:3rd March 1931"}},
		{"a date that is not a birth date", "the meeting on 03/07/2021", nil},
		{"sign-off next line", "Thank you.\n\nYours sincerely,\nMargaret Okafor\n", []string{"name:Margaret Okafor"}},
		{"sign-off same line", "Kind regards, Tom Hughes", []string{"name:Tom Hughes"}},
		{"sign-off by an organisation", "Yours faithfully,\nThe Patients Association", nil},
		{"my name is", "My name is Priya Shah and I care for my father.", []string{"name:Priya Shah"}},
		{"title", "I spoke to Dr Evans about it", []string{"name:Evans"}},
		{"no name in plain prose", "The regulator should inspect more often.", nil},
		{"several", "Email a@b.com or call 07911 123456.\nRegards,\nSam Lee", []string{"email:a@b.com", "phone:07911 123456", "name:Sam Lee"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := found(tt.text)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") {
				t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
			}
		})
	}
}

func TestNHSValid(t *testing.T) {
	for d, want := range map[string]bool{
		"9434765919": true, "4010232137": true, "9434765918": false,
		"1234567890": false, // check digit would be 10: never valid
		"123":        false,
	} {
		if got := nhsValid(d); got != want {
			t.Errorf("nhsValid(%s) = %v, want %v", d, got, want)
		}
	}
}

func TestRedact(t *testing.T) {
	text := "Call 07911 123456 or a@b.com. Yours, Jo"
	tests := []struct {
		name  string
		spans []Span
		want  string
	}{
		{"none", nil, text},
		{"two", []Span{{21, 28, KindEmail, 1}, {5, 17, KindPhone, 1}}, "Call [phone number removed] or [email address removed]. Yours, Jo"},
		{"overlapping merge", []Span{{5, 12, KindPhone, 1}, {10, 17, KindOther, 1}}, "Call [phone number removed] or a@b.com. Yours, Jo"},
		{"clipped past the end", []Span{{37, 99, KindName, 1}}, "Call 07911 123456 or a@b.com. Yours, [name removed]"},
		{"empty span ignored", []Span{{5, 5, KindName, 1}}, text},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Redact(text, tt.spans); got != tt.want {
				t.Errorf("Redact = %q, want %q", got, tt.want)
			}
		})
	}
	// A span cutting a character in two hides the whole character.
	if got := Redact("café", []Span{{4, 5, KindOther, 1}}); got != "caf[personal data removed]" {
		t.Errorf("Redact split rune = %q", got)
	}
}
