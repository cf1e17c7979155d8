package campaign

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"heard/internal/db"
)

// CSVHeader is the public contract of campaigns.csv: extend, never break.
var CSVHeader = []string{"campaign", "status", "response_id", "source_ref", "channel", "similarity", "added_words"}

// WriteCSV writes one row per member of every campaign, with the words it
// adds to the campaign's canonical text.
func (s *Service) WriteCSV(ctx context.Context, w io.Writer, consultationID int64) error {
	q := db.New(s.Pool)
	th, err := Settings(ctx, q, consultationID)
	if err != nil {
		return err
	}
	rows, err := q.AllCampaignMembers(ctx, db.AllCampaignMembersParams{ConsultationID: consultationID, MinMembers: int64(th.MinMembers)})
	if err != nil {
		return fmt.Errorf("campaign: members for csv: %w", err)
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVHeader); err != nil {
		return err
	}
	canon := map[int64]string{}
	for _, r := range rows {
		text, ok := canon[r.CampaignID]
		if !ok {
			c, err := q.CampaignCanonical(ctx, r.CampaignID)
			if err != nil {
				return fmt.Errorf("campaign: canonical text of %d: %w", r.CampaignID, err)
			}
			text, canon[r.CampaignID] = c.Text, c.Text
		}
		_, added, _ := WordDiff(text, r.Text)
		err := cw.Write([]string{r.Name, string(r.Status), strconv.FormatInt(r.ResponseID, 10), r.SourceRef, string(r.Channel),
			strconv.FormatFloat(float64(r.Similarity), 'f', 2, 32), strconv.Itoa(added)})
		if err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
