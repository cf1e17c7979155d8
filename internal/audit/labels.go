package audit

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// labels say what each action means, in the words the audit log shows.
// Actions added later without a label are shown by Label as words.
var labels = map[string]string{
	SignIn:                       "Signed in",
	SignInFailed:                 "Failed to sign in",
	SignInLocked:                 "Sign-in refused: too many failed attempts",
	SignOut:                      "Signed out",
	UserCreated:                  "Added a user",
	UserRoleChanged:              "Changed a user's role",
	UserDisabled:                 "Disabled a user and signed them out",
	UserEnabled:                  "Enabled a user",
	PasswordSet:                  "Set a user's password",
	ResultsPublish:               "Published the results",
	ResultsHide:                  "Stopped publishing the results",
	ConsultationCreated:          "Created a consultation",
	ConsultationReplaced:         "Loaded a new definition",
	ConsultationEdited:           "Changed a consultation's details",
	ConsultationStatusChanged:    "Changed a consultation's status",
	PasswordLinkCreated:          "Made a set-password link",
	PasswordLinkUsed:             "Set their password with a link",
	"import_imported":            "Imported a file",
	"import_partial":             "Imported the valid part of a file",
	"import_rejected":            "Rejected a file",
	"segment_corrected":          "Corrected a letter's attribution",
	"group_suggestion_confirmed": "Confirmed a suggested respondent group",
	"group_suggestion_dismissed": "Dismissed a suggested respondent group",
	"export":                     "Exported responses",
	"event_created":              "Recorded an event",
	"event_changed":              "Changed an event",
	"event_deleted":              "Deleted an event",
	"event_response_added":       "Typed up an event response",
	"event_note_added":           "Added group notes",
	"event_note_changed":         "Changed group notes",
	"event_note_deleted":         "Deleted group notes",
	"redaction_confirmed":        "Kept a redaction of personal data",
	"redaction_dismissed":        "Dismissed a redaction of personal data",
	"redaction_added":            "Added a redaction of personal data",
	"org_responses_published":    "Published organisations' responses",
	"org_responses_unpublished":  "Stopped publishing organisations' responses",
	"subject_access_searched":    "Searched for a subject access request",
	"subject_access_exported":    "Downloaded a subject access bundle",
	"response_erased":            "Erased a respondent's personal data",
	"lawful_basis_set":           "Set the lawful basis and retention period",
	"retention_applied":          "Applied the retention period",
}

// Label is the readable name of an action: "Added a user" for
// user_created. An action without a label is shown as words
// ("Code merged" for code_merged), never as its code.
func Label(action string) string {
	if l, ok := labels[action]; ok {
		return l
	}
	s := strings.ReplaceAll(action, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// detailNames are the readable names of detail keys; others are shown
// as words.
var detailNames = map[string]string{
	"sha256":      "SHA-256",
	"event_id":    "Event number",
	"held_on":     "Held on",
	"copied_from": "Copied from",
}

// DetailText turns an entry's detail (a JSON object) into readable
// "Name: value" parts, sorted by name, for the log page.
func DetailText(detail string) []string {
	var m map[string]any
	if detail == "" || json.Unmarshal([]byte(detail), &m) != nil {
		if detail == "" || detail == "{}" {
			return nil
		}
		return []string{detail}
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys))
	for _, k := range keys {
		name, ok := detailNames[k]
		if !ok {
			name = Label(k)
		}
		out = append(out, name+": "+value(m[k]))
	}
	return out
}

func value(v any) string {
	switch x := v.(type) {
	case nil:
		return "none"
	case string:
		if x == "" {
			return "none"
		}
		return x
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case float64:
		return fmt.Sprint(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = value(e)
		}
		return strings.Join(parts, ", ")
	}
	b, _ := json.Marshal(v)
	return string(b)
}
