package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/accounts"
	"heard/internal/coding"
	"heard/internal/consultation"
	"heard/internal/db"
)

// Coders are the two demo analysts who coded part of the demo answers.
// They cannot sign in (their passwords are random and never shown).
var Coders = []string{"demo-analyst-1@example.org", "demo-analyst-2@example.org"}

// CodedShare is the percentage of each open question's answers the demo
// codes; the rest is left for people trying Heard to code.
const CodedShare = 40

// SampleShare is the share of Q1b double-coded by the two demo coders.
const SampleShare = 5

// Coding is what Code did.
type Coding struct {
	Codes, Coded, Quotes int
	SampleID             int64
}

// Code gives every open question of the demo a codeframe built from the
// points of CQC's summary, codes part of the answers the way an analyst
// would (each answer gets the codes of the points it makes), flags some
// consenting answers as quotes, and double-codes a sample of Q1b with a
// few disagreements. It does nothing when the demo has codes already.
func Code(ctx context.Context, pool *pgxpool.Pool, c *consultation.Consultation) (Coding, error) {
	var out Coding
	svc := &coding.Service{Pool: pool}
	all, err := svc.AllCodes(ctx, c.ID)
	if err != nil || len(all) > 0 {
		return out, err
	}
	coders, err := demoCoders(ctx, pool)
	if err != nil {
		return out, err
	}
	for _, q := range c.Questions {
		if q.Kind != "open" {
			continue
		}
		theme := ""
		if q.Theme != nil {
			theme = q.Theme.Slug
		}
		b, ok := banks[theme]
		if !ok {
			b = banks[""]
		}
		keys, err := demoCodeframe(ctx, svc, coders[0], c.ID, q.ID, b)
		if err != nil {
			return out, err
		}
		out.Codes += len(keys)
		ids, err := db.New(pool).DemoOpenAnswerIDs(ctx, q.ID)
		if err != nil {
			return out, err
		}
		for i, id := range ids[:len(ids)*CodedShare/100] {
			a, err := svc.Answer(ctx, c.ID, q.ID, id)
			if err != nil {
				return out, err
			}
			ch := coding.Change{Unit: a.Unit, Codes: codesFor(a.Text, b, keys)}
			if len(ch.Codes) == 0 {
				ch.NoCode = true
			}
			if a.Consent == "yes" && i%10 == 0 {
				ch.QuoteWorthy = true
				out.Quotes++
			}
			ch.EvidenceRich = strings.Contains(a.Text, providerGuidance) && i%2 == 0
			if _, err := svc.Save(ctx, coders[i%2], c.ID, ch); err != nil {
				return out, fmt.Errorf("demo: code response %d to %s: %w", id, q.Code, err)
			}
			out.Coded++
		}
		if q.Code == "Q1b" {
			if out.SampleID, err = demoSample(ctx, svc, c, q, b, keys, coders); err != nil {
				return out, err
			}
		}
	}
	return out, nil
}

// demoCoders finds or creates the two demo analysts.
func demoCoders(ctx context.Context, pool *pgxpool.Pool) ([]accounts.Actor, error) {
	acc := accounts.NewService(pool)
	var out []accounts.Actor
	for _, email := range Coders {
		u, err := acc.GetByEmail(ctx, email)
		if errors.Is(err, accounts.ErrNotFound) {
			secret := make([]byte, 24)
			rand.Read(secret) //nolint:errcheck // never fails
			u, err = acc.Create(ctx, accounts.Actor{}, email, hex.EncodeToString(secret), accounts.Analyst)
		}
		if err != nil {
			return nil, fmt.Errorf("demo: coder %s: %w", email, err)
		}
		out = append(out, accounts.Actor{User: &u})
	}
	return out, nil
}

// demoCodeframe adds a question's codes: "Support" and "Concerns", each
// with the theme's three points as sub-codes, then the overarching
// points. It returns each code's id by key.
func demoCodeframe(ctx context.Context, svc *coding.Service, by accounts.Actor, consultationID int64, questionID int32, b bank) (map[string]int32, error) {
	f := coding.Frame{QuestionID: questionID}
	keys := map[string]int32{}
	add := func(in coding.CodeInput) error {
		code, err := svc.AddCode(ctx, by, consultationID, f, in)
		if err != nil {
			return fmt.Errorf("demo: code %s: %w", in.Key, err)
		}
		keys[in.Key] = code.ID
		return nil
	}
	for _, top := range []struct {
		key, name, desc string
		points          []point
	}{
		{"S", "Support", "Reasons given for supporting the proposals", b.support},
		{"C", "Concerns and queries", "Points respondents want addressed", b.concern},
	} {
		if err := add(coding.CodeInput{Key: top.key, Name: top.name, Description: top.desc}); err != nil {
			return nil, err
		}
		for _, p := range top.points {
			if err := add(coding.CodeInput{Key: p.key, Name: p.name, ParentID: keys[top.key]}); err != nil {
				return nil, err
			}
		}
	}
	for _, in := range []coding.CodeInput{
		{Key: "DETAIL", Name: "More detail on implementation", Description: "Wants to know how the strategy will work in practice"},
		{Key: "GUIDE", Name: "Providers want guidance and time to prepare"},
		{Key: "INVOLVE", Name: "Staff want to help design the changes"},
	} {
		if err := add(in); err != nil {
			return nil, err
		}
	}
	return keys, nil
}

// codesFor is the coding an analyst would give a demo answer: a code for
// each point it makes, with the respondent's position on it.
func codesFor(text string, b bank, keys map[string]int32) []coding.Applied {
	against := strings.HasPrefix(text, "I do not support")
	var out []coding.Applied
	for _, p := range b.support {
		if strings.Contains(text, p.text) {
			out = append(out, coding.Applied{CodeID: keys[p.key], Position: coding.Supports})
		}
	}
	for _, p := range b.concern {
		if strings.Contains(text, p.text) {
			pos := coding.Neutral
			if against {
				pos = coding.Opposes
			}
			out = append(out, coding.Applied{CodeID: keys[p.key], Position: pos})
		}
	}
	if slices.ContainsFunc(closers, func(s string) bool { return strings.Contains(text, s) }) {
		out = append(out, coding.Applied{CodeID: keys["DETAIL"], Position: coding.Opposes})
	}
	if strings.Contains(text, providerGuidance) {
		out = append(out, coding.Applied{CodeID: keys["GUIDE"], Position: coding.Neutral})
	}
	if strings.Contains(text, teamInvolvement) {
		out = append(out, coding.Applied{CodeID: keys["INVOLVE"], Position: coding.Supports})
	}
	return out
}

// demoSample double-codes a share of Q1b: both coders code what the
// answers say, except that the second misses the staff-views code on a
// few answers and adds digital exclusion to one: a few disagreements.
func demoSample(ctx context.Context, svc *coding.Service, c *consultation.Consultation, q *consultation.Question, b bank, keys map[string]int32, coders []accounts.Actor) (int64, error) {
	id, err := svc.CreateSample(ctx, coders[0], c.ID, q.ID, SampleShare, *coders[0].User, *coders[1].User)
	if err != nil {
		return 0, fmt.Errorf("demo: sample: %w", err)
	}
	ids, err := svc.SampleAnswers(ctx, id)
	if err != nil {
		return 0, err
	}
	missed, added := 0, false
	for _, rid := range ids {
		a, err := svc.Answer(ctx, c.ID, q.ID, rid)
		if err != nil {
			return 0, err
		}
		codes := codesFor(a.Text, b, keys)
		if err := svc.SaveSample(ctx, coders[0], c.ID, id, rid, codes); err != nil {
			return 0, fmt.Errorf("demo: sample coding: %w", err)
		}
		second := slices.Clone(codes)
		if i := slices.IndexFunc(second, func(ap coding.Applied) bool { return ap.CodeID == keys["C-STAFF"] }); i >= 0 && missed < 3 {
			second = slices.Delete(second, i, i+1)
			missed++
		} else if !added && !slices.ContainsFunc(second, func(ap coding.Applied) bool { return ap.CodeID == keys["C-DIGITAL"] }) {
			second = append(second, coding.Applied{CodeID: keys["C-DIGITAL"], Position: coding.Neutral})
			added = true
		}
		if err := svc.SaveSample(ctx, coders[1], c.ID, id, rid, second); err != nil {
			return 0, fmt.Errorf("demo: sample coding: %w", err)
		}
	}
	return id, nil
}
