package mailimport

import (
	"regexp"
	"strings"
)

// Where an organisation's name was found, for the analyst who confirms it.
const (
	OrgFromName   = "the sender's display name"
	OrgSignature  = "the signature block"
	OrgLetterhead = "the letterhead"
)

// orgWord marks a name as an organisation's rather than a person's.
var orgWord = regexp.MustCompile(`(?i)\b(ltd|limited|plc|llp|cic|association|trust|council|charity|group|services|nhs|foundation|society|partnership|healthwatch|network|alliance|federation|union|college|university|forum|board|committee|institute|centre|center|agency|company|practice|surgery|hospital|hospice|care home|home care|carers|federation|coalition|collective|cqc|department|commission|ics|ccg)\b`)

// roleWord opens a signature line that gives the signer's role and then
// the organisation: "Chief Executive, Carers Together".
var roleWord = regexp.MustCompile(`(?i)^(chief executive|chief officer|ceo|director|managing director|manager|registered manager|chair|chairman|chairwoman|chairperson|secretary|head|lead|officer|coordinator|co-ordinator|trustee|president|founder|policy officer|policy manager)\b[^,]*,\s*(?:on behalf of\s+)?(.+)$`)

// signOff opens a signature block.
var signOff = regexp.MustCompile(`(?i)^(yours sincerely|yours faithfully|kind regards|best regards|best wishes|regards|many thanks|with thanks|sincerely)\b`)

// onBehalf is a line that says it plainly.
var onBehalf = regexp.MustCompile(`(?i)\bon behalf of\s+(?:the\s+)?([A-Z][\w’'&.-]*(?:\s+(?:of|and|for|the|&|[A-Z][\w’'&.-]*))*)`)

// Organisation names the organisation a message is sent on behalf of,
// and where that was found: a role line or an organisation's name in the
// signature block, the sender's display name when it is an organisation's,
// or a letterhead that the signature repeats. It is a suggestion for an
// analyst to confirm, never a certainty; "" when nothing says so.
func (m *Message) Organisation() (name, source string) {
	text := m.Text()
	lines := nonBlankLines(text)
	// The signature block: the lines after the last sign-off.
	for i := len(lines) - 1; i >= 0; i-- {
		if !signOff.MatchString(lines[i]) {
			continue
		}
		for _, l := range lines[i+1 : min(len(lines), i+6)] {
			if mm := roleWord.FindStringSubmatch(l); mm != nil {
				return strings.TrimRight(mm[2], " ."), OrgSignature
			}
		}
		for _, l := range lines[i+1 : min(len(lines), i+6)] {
			if orgWord.MatchString(l) && len(strings.Fields(l)) <= 8 && !strings.Contains(l, "@") {
				return strings.TrimRight(l, " ."), OrgSignature
			}
		}
		break
	}
	if mm := onBehalf.FindStringSubmatch(text); mm != nil && orgWord.MatchString(mm[1]) {
		return mm[1], OrgSignature
	}
	if n := strings.TrimSpace(m.FromName); n != "" && orgWord.MatchString(n) && !strings.Contains(n, "@") {
		return n, OrgFromName
	}
	// A letterhead: a first line of the letter (or of an attachment)
	// that names an organisation.
	for _, a := range append([]string{m.Body}, attachmentTexts(m)...) {
		ls := nonBlankLines(a)
		if len(ls) > 0 && orgWord.MatchString(ls[0]) && len(strings.Fields(ls[0])) <= 8 && !strings.ContainsAny(ls[0], ",:;") {
			return ls[0], OrgLetterhead
		}
	}
	return "", ""
}

func attachmentTexts(m *Message) []string {
	var out []string
	for _, a := range m.Attachments {
		if a.Err == "" {
			out = append(out, a.Text)
		}
	}
	return out
}

func nonBlankLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}
