package fielderr_test

import (
	"errors"
	"fmt"
	"testing"

	"heard/internal/accounts"
	"heard/internal/campaign"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/events"
	"heard/internal/fielderr"
	"heard/internal/mailbox"
	"heard/internal/personal"
)

// Every service's form error maps to its fields by type, also when
// wrapped; other errors map to nothing.
func TestServiceErrorsNameTheirFields(t *testing.T) {
	for _, c := range []struct {
		name string
		err  error
		want []fielderr.Problem
	}{
		{"accounts", &accounts.ValidationError{Field: "email", Message: "enter an email address"}, []fielderr.Problem{{"email", "Enter an email address"}}},
		{"campaign", &campaign.FieldError{Field: "name", Message: "Enter a name"}, []fielderr.Problem{{"name", "Enter a name"}}},
		{"coding", &coding.ValidationError{Field: "code", Message: "Enter a code"}, []fielderr.Problem{{"code", "Enter a code"}}},
		{"consultation", &consultation.FormError{Problems: []consultation.FieldError{{Field: "title", Message: "Enter a title"}, {Field: "opens_on", Message: "Enter a date"}}},
			[]fielderr.Problem{{"title", "Enter a title"}, {"opens_on", "Enter a date"}}},
		{"events", &events.ValidationError{Problems: []events.FieldError{{Field: "name", Message: "Enter the name"}}}, []fielderr.Problem{{"name", "Enter the name"}}},
		{"mailbox", &mailbox.ValidationError{Field: "port", Message: "Enter a port"}, []fielderr.Problem{{"port", "Enter a port"}}},
		{"mailbox unreachable", &mailbox.ReachError{Field: "folder", Message: `cannot open folder "X"`, Err: errors.New("NO")}, []fielderr.Problem{{"folder", `Cannot open folder "X"`}}},
		{"personal", &personal.InvalidError{Field: "term", Message: "Enter something to search for"}, []fielderr.Problem{{"term", "Enter something to search for"}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			for _, err := range []error{c.err, fmt.Errorf("handler: %w", c.err)} {
				got, ok := fielderr.Of(err)
				if !ok || fmt.Sprint(got) != fmt.Sprint(c.want) {
					t.Errorf("Of(%v) = %v %v, want %v", err, got, ok, c.want)
				}
			}
		})
	}
	for _, err := range []error{nil, errors.New("cannot connect"), consultation.ErrNotFound, fmt.Errorf("x: %w", events.ErrNotFound)} {
		if got, ok := fielderr.Of(err); ok {
			t.Errorf("Of(%v) = %v, want no field problems", err, got)
		}
	}
}
