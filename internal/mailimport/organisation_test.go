package mailimport

import "testing"

func TestOrganisation(t *testing.T) {
	tests := []struct {
		name           string
		m              Message
		want, wantFrom string
	}{
		{"role line in the signature", Message{FromName: "Jane Smith", Body: "Dear CQC,\n\nWe agree.\n\nYours sincerely,\n\nJane Smith\nChief Executive, Carers Together\n"},
			"Carers Together", OrgSignature},
		{"organisation in the signature", Message{FromName: "Sam Jones", Body: "We agree.\n\nKind regards\nSam Jones\nRiverside Care Home Ltd\n07700 900123\n"},
			"Riverside Care Home Ltd", OrgSignature},
		{"display name", Message{FromName: "Healthwatch Northshire", Body: "Q1a: Fully\n"}, "Healthwatch Northshire", OrgFromName},
		{"letterhead of an attachment", Message{FromName: "Priya", Body: "Please see attached.", Attachments: []Attachment{{Text: "Northshire Care Association\n\nUnit 4, Mill Lane\n\nOur response..."}}},
			"Northshire Care Association", OrgLetterhead},
		{"a person writing for themselves", Message{FromName: "Zoë Brontë", Body: "I think the strategy is good.\n\nBest wishes,\nZoë\n"}, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, from := tt.m.Organisation()
			if got != tt.want || from != tt.wantFrom {
				t.Errorf("Organisation() = %q (%s), want %q (%s)", got, from, tt.want, tt.wantFrom)
			}
		})
	}
}
