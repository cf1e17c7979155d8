package personal

import (
	"strings"
	"testing"
)

// letter is about the length of a consultation letter (3 KB) with a few
// pieces of personal data in it.
var letter = strings.Repeat("I am writing about the care my mother received at the home in 2021. The staff were kind but there were not enough of them, and the inspection report did not say so. ", 18) +
	"You can reach me on 07911 123456 or at jo@example.org. Her NHS number is 943 476 5919.\n\nYours sincerely,\nJo Bloggs\n12 High Street, Leeds LS1 4AB"

// BenchmarkDetect measures detection on letter-length texts; the import
// path needs at least 2,000 per second.
func BenchmarkDetect(b *testing.B) {
	b.SetBytes(int64(len(letter)))
	for b.Loop() {
		Detect(letter)
	}
}

func TestDetectLetter(t *testing.T) {
	got := strings.Join(found(letter), "|")
	want := "phone:07911 123456|email:jo@example.org|nhs_number:943 476 5919|name:Jo Bloggs|postcode:LS1 4AB"
	if got != want {
		t.Errorf("Detect(letter) = %s, want %s", got, want)
	}
}
