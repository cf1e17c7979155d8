package campaign

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"heard/internal/audit"
	"heard/internal/db"
	"heard/internal/fielderr"
)

// ErrNotFound: no such campaign, member or repeat in this consultation.
var ErrNotFound = errors.New("campaign: not found")

// Audit actions of campaigns and repeats.
const (
	ActionRenamed       = "campaign_renamed"
	ActionConfirmed     = "campaign_confirmed"
	ActionDismissed     = "campaign_dismissed"
	ActionMerged        = "campaign_merged"
	ActionSplit         = "campaign_split"
	ActionMemberAdded   = "campaign_member_added"
	ActionMemberRemoved = "campaign_member_removed"
	ActionRepeatMerged  = "repeat_merged"
	ActionRepeatApart   = "repeat_kept_apart"
	ActionRepeatUndone  = "repeat_undecided"
)

// Summary is one campaign in the list.
type Summary struct {
	ID                          int64
	Name, Status                string
	Members                     int64
	FirstReceived, LastReceived time.Time
}

// List returns the consultation's campaigns (clusters of at least
// MinMembers) and how many are still unconfirmed.
func (s *Service) List(ctx context.Context, consultationID int64) ([]Summary, int64, error) {
	q := db.New(s.Pool)
	th, err := Settings(ctx, q, consultationID)
	if err != nil {
		return nil, 0, err
	}
	rows, err := q.ListCampaigns(ctx, db.ListCampaignsParams{ConsultationID: consultationID, MinMembers: int64(th.MinMembers)})
	if err != nil {
		return nil, 0, fmt.Errorf("campaign: list: %w", err)
	}
	out := make([]Summary, len(rows))
	var unconfirmed int64
	for i, r := range rows {
		out[i] = Summary{ID: r.ID, Name: r.Name, Status: string(r.Status), Members: r.Members, FirstReceived: r.FirstReceived, LastReceived: r.LastReceived}
		if r.Status == db.CampaignStatusSuggested {
			unconfirmed++
		}
	}
	return out, unconfirmed, nil
}

// Member is one campaign member compared with the canonical text.
type Member struct {
	ResponseID     int64
	SourceRef      string
	Channel        string
	Received       time.Time
	Similarity     float64
	AddedBy        string
	Added, Removed int
	Diff           []DiffOp
	Text           string
	// AddedID is the member's added text as a coding unit (0: nobody
	// has opened it for coding yet); AddedCoded, whether it is coded.
	AddedID    int64
	AddedCoded bool
}

// Count is members of one channel and respondent group (0: not known).
type Count struct {
	Channel string
	GroupID int32
	N       int64
}

// Detail is one campaign with one page of its members.
type Detail struct {
	Summary
	CanonicalID     int64
	CanonicalCopies int64
	CanonicalText   string
	Counts          []Count
	// WithAdded is how many members add substantial text: at least
	// SubstantialAddedWords more normalised words than the campaign text.
	WithAdded int64
	// Rows is the page of members asked for, by response id, each
	// diffed against the campaign text; Matching is how many members the
	// pages hold (all, or those with added text).
	Rows     []Member
	Matching int64
	// AddedQuestionID is the open question whose codeframe codes the
	// members' added text (0: not chosen yet); AddedCoded, how many
	// members' added texts are coded (merged repeats and withdrawn
	// responses left out).
	AddedQuestionID int32
	AddedCoded      int64
}

// MemberPageSize is how many members a campaign page diffs and shows.
const MemberPageSize = 20

// Get returns a campaign and page (from 1) of its members, each diffed
// against the canonical text (the most common version); with addedOnly,
// only the members that add substantial text. Only the page's members
// are read and diffed, whatever the campaign's size.
func (s *Service) Get(ctx context.Context, consultationID, id int64, page int, addedOnly bool) (*Detail, error) {
	q := db.New(s.Pool)
	c, err := q.GetCampaign(ctx, db.GetCampaignParams{ConsultationID: consultationID, ID: id})
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("campaign: get %d: %w", id, err)
	}
	d := &Detail{Summary: Summary{ID: c.ID, Name: c.Name, Status: string(c.Status)}}
	if c.AddedQuestionID != nil {
		d.AddedQuestionID = *c.AddedQuestionID
	}
	if d.AddedCoded, err = q.CampaignAddedCoded(ctx, id); err != nil {
		return nil, fmt.Errorf("campaign: coded added text of %d: %w", id, err)
	}
	canon, err := q.CampaignCanonical(ctx, id)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, fmt.Errorf("campaign: canonical text of %d: %w", id, err)
	}
	d.CanonicalID, d.CanonicalCopies, d.CanonicalText = canon.ResponseID, canon.Copies, canon.Text
	counts, err := q.CampaignBreakdown(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("campaign: counts of %d: %w", id, err)
	}
	for _, r := range counts {
		d.Counts = append(d.Counts, Count{Channel: string(r.Channel), GroupID: r.GroupID, N: r.N})
	}
	minWords := canon.Words + SubstantialAddedWords
	stats, err := q.CampaignMemberStats(ctx, db.CampaignMemberStatsParams{CampaignID: id, MinWords: minWords})
	if err != nil {
		return nil, fmt.Errorf("campaign: members of %d: %w", id, err)
	}
	d.Members, d.WithAdded, d.FirstReceived, d.LastReceived = stats.Members, stats.WithAdded, stats.FirstReceived, stats.LastReceived
	d.Matching = d.Members
	if addedOnly {
		d.Matching = d.WithAdded
	}
	page = max(page, 1)
	members, err := q.CampaignMembersPage(ctx, db.CampaignMembersPageParams{CampaignID: id, AddedOnly: addedOnly, MinWords: minWords,
		PageSize: MemberPageSize, Skip: int32((page - 1) * MemberPageSize)})
	if err != nil {
		return nil, fmt.Errorf("campaign: members of %d: %w", id, err)
	}
	for _, m := range members {
		ops, added, removed := WordDiff(d.CanonicalText, m.Text)
		d.Rows = append(d.Rows, Member{
			ResponseID: m.ResponseID, SourceRef: m.SourceRef, Channel: string(m.Channel), Received: m.ReceivedAt,
			Similarity: float64(m.Similarity), AddedBy: m.AddedBy, Added: added, Removed: removed, Diff: ops, Text: m.Text,
		})
	}
	ids := make([]int64, len(d.Rows))
	for i, m := range d.Rows {
		ids[i] = m.ResponseID
	}
	states, err := q.AddedTextStates(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("campaign: added texts of %d: %w", id, err)
	}
	for _, st := range states {
		for i := range d.Rows {
			if d.Rows[i].ResponseID == st.ResponseID {
				d.Rows[i].AddedID, d.Rows[i].AddedCoded = st.ID, st.Coded
			}
		}
	}
	return d, nil
}

// Rename gives a campaign the analyst's name.
func (s *Service) Rename(ctx context.Context, by audit.Entry, consultationID, id int64, name string) error {
	name = strings.TrimSpace(name)
	if name == "" {
		return &FieldError{Field: "name", Message: "Enter a name for the campaign"}
	}
	return s.change(ctx, by, ActionRenamed, consultationID, id, map[string]any{"name": name}, func(q *db.Queries) (int64, error) {
		return q.RenameCampaign(ctx, db.RenameCampaignParams{ConsultationID: consultationID, ID: id, Name: name})
	})
}

// SetStatus confirms a campaign, dismisses it, or returns it to suggested.
func (s *Service) SetStatus(ctx context.Context, by audit.Entry, consultationID, id int64, status string) error {
	action := map[string]string{"confirmed": ActionConfirmed, "dismissed": ActionDismissed}[status]
	if action == "" {
		return &FieldError{Field: "status", Message: "Choose confirm or dismiss"}
	}
	return s.change(ctx, by, action, consultationID, id, nil, func(q *db.Queries) (int64, error) {
		return q.SetCampaignStatus(ctx, db.SetCampaignStatusParams{ConsultationID: consultationID, ID: id, Status: db.CampaignStatus(status)})
	})
}

// Merge moves every member of campaign from into campaign into, and drops
// the emptied campaign.
func (s *Service) Merge(ctx context.Context, by audit.Entry, consultationID, into, from int64) error {
	if into == from {
		return &FieldError{Field: "into", Message: "Choose a different campaign to merge with"}
	}
	return s.change(ctx, by, ActionMerged, consultationID, into, map[string]any{"merged": from}, func(q *db.Queries) (int64, error) {
		if _, err := q.GetCampaign(ctx, db.GetCampaignParams{ConsultationID: consultationID, ID: from}); err != nil {
			return 0, err
		}
		n, err := q.MoveCampaignMembers(ctx, db.MoveCampaignMembersParams{IntoID: into, FromID: from})
		if err != nil {
			return 0, err
		}
		return max(n, 1), q.DeleteEmptyCampaign(ctx, from)
	})
}

// Split moves the chosen members of a campaign into a new suggested
// campaign and returns its id.
func (s *Service) Split(ctx context.Context, by audit.Entry, consultationID, id int64, responseIDs []int64) (int64, error) {
	if len(responseIDs) == 0 {
		return 0, &FieldError{Field: "members", Message: "Select the members to split off"}
	}
	var newID int64
	err := s.change(ctx, by, ActionSplit, consultationID, id, map[string]any{"members": len(responseIDs)}, func(q *db.Queries) (int64, error) {
		c, err := q.GetCampaign(ctx, db.GetCampaignParams{ConsultationID: consultationID, ID: id})
		if err != nil {
			return 0, err
		}
		newID, err = q.CreateCampaign(ctx, db.CreateCampaignParams{ConsultationID: consultationID, Name: c.Name + " (split)"})
		if err != nil {
			return 0, err
		}
		return q.MoveChosenMembers(ctx, db.MoveChosenMembersParams{IntoID: newID, FromID: id, ResponseIds: responseIDs})
	})
	return newID, err
}

// AddMember places a response, named by its reference, in a campaign.
func (s *Service) AddMember(ctx context.Context, by audit.Entry, consultationID, id int64, ref string) error {
	ref = strings.TrimSpace(ref)
	return s.change(ctx, by, ActionMemberAdded, consultationID, id, map[string]any{"response": ref}, func(q *db.Queries) (int64, error) {
		rid, err := q.ResponseIDByRef(ctx, db.ResponseIDByRefParams{ConsultationID: consultationID, SourceRef: ref})
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, &FieldError{Field: "ref", Message: "There is no response with reference “" + ref + "” in this consultation"}
		}
		if err != nil {
			return 0, err
		}
		return 1, q.PlaceCampaignMember(ctx, db.PlaceCampaignMemberParams{ConsultationID: consultationID, CampaignID: id, ResponseID: rid, Similarity: 0, AddedBy: by.Actor})
	})
}

// RemoveMember takes a response, named by its reference, out of a
// campaign; detection will not put it back.
func (s *Service) RemoveMember(ctx context.Context, by audit.Entry, consultationID, id int64, ref string) error {
	ref = strings.TrimSpace(ref)
	return s.change(ctx, by, ActionMemberRemoved, consultationID, id, map[string]any{"response": ref}, func(q *db.Queries) (int64, error) {
		rid, err := q.ResponseIDByRef(ctx, db.ResponseIDByRefParams{ConsultationID: consultationID, SourceRef: ref})
		if errors.Is(err, pgx.ErrNoRows) {
			return 0, &FieldError{Field: "remove-ref", Message: "There is no response with reference “" + ref + "” in this consultation"}
		}
		if err != nil {
			return 0, err
		}
		n, err := q.RemoveCampaignMember(ctx, db.RemoveCampaignMemberParams{CampaignID: id, ResponseID: rid, AddedBy: by.Actor})
		if err == nil && n == 0 {
			return 0, &FieldError{Field: "remove-ref", Message: "Response “" + ref + "” is not in this campaign"}
		}
		return n, err
	})
}

// change runs one audited change to campaign id in a transaction;
// fn returns how many rows it changed (0: not found).
func (s *Service) change(ctx context.Context, by audit.Entry, action string, consultationID, id int64, detail map[string]any, fn func(q *db.Queries) (int64, error)) error {
	return db.WithTx(ctx, s.Pool, func(_ pgx.Tx, q *db.Queries) error {
		if _, err := q.GetCampaign(ctx, db.GetCampaignParams{ConsultationID: consultationID, ID: id}); err != nil {
			if errors.Is(err, pgx.ErrNoRows) {
				return ErrNotFound
			}
			return fmt.Errorf("campaign: %s %d: %w", action, id, err)
		}
		n, err := fn(q)
		var fe *FieldError
		if errors.As(err, &fe) {
			return err
		}
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && n == 0) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("campaign: %s %d: %w", action, id, err)
		}
		e := by
		e.Action, e.ConsultationID, e.RecordType, e.RecordID, e.Detail = action, &consultationID, "campaign", fmt.Sprint(id), detail
		return audit.Record(ctx, q, e)
	})
}

// FieldError is a form value an analyst must correct.
type FieldError struct {
	Field, Message string
}

func (e *FieldError) Error() string { return "campaign: " + e.Field + ": " + e.Message }

// FieldProblems names the field at fault (fielderr.Error).
func (e *FieldError) FieldProblems() []fielderr.Problem { return fielderr.One(e.Field, e.Message) }
