package batchimport_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"heard/internal/batchimport"
	mt "heard/internal/msg/msgtest"
)

func outlookMsg(id, from, body string) []byte {
	return (&mt.Message{Props: []mt.Prop{
		mt.P(mt.PidSubject, "Consultation response"), mt.P(mt.PidSenderName, "Sender "+id), mt.P(mt.PidSenderSMTP, from),
		mt.P(mt.PidClientSubmitTime, time.Date(2021, 2, 3, 10, 0, 0, 0, time.UTC)),
		mt.P(mt.PidInternetMsgID, "<"+id+"@example.org>"), mt.P(mt.PidBody, body),
	}}).Bytes()
}

// TestImportMSG imports Outlook messages like .eml: one per file or a
// zip of them, counted through results, never twice, and a corrupt one
// rejects its file with the batch recorded.
func TestImportMSG(t *testing.T) {
	e := newEnv(t)
	rep := e.importFile("one.msg", outlookMsg("one", "a@example.org", "Q1a: Fully\nQ1b: People come first."), batchimport.Options{})
	if rep.Status != "imported" || rep.Imported != 1 || rep.Format != "msg" {
		t.Fatalf("one.msg: %+v %s", rep, problems(rep))
	}
	z := zipOf(t,
		[2]string{"folder/two.msg", string(outlookMsg("two", "b@example.org", "Q1b: Staff views matter."))},
		[2]string{"folder/three.msg", string(outlookMsg("three", "lead@cqc.org.uk", "Q3b: Learning from safety incidents."))},
		[2]string{"folder/one.msg", string(outlookMsg("one", "a@example.org", "Q1a: Fully\nQ1b: People come first."))},
	)
	rep = e.importFile("outlook.zip", z, batchimport.Options{})
	if rep.Status != "imported" || rep.Imported != 2 || len(rep.Duplicates) != 1 {
		t.Fatalf("zip: %+v %s", rep, problems(rep))
	}
	if got := e.total(); got != 3 {
		t.Errorf("total %d, want 3", got)
	}
	if got := e.answered("Q1a"); got != 1 {
		t.Errorf("Q1a answered %d, want 1", got)
	}
	var sender, subject string
	if err := e.pool.QueryRow(context.Background(),
		`select sender_address, subject from response_sources where message_id = 'three@example.org'`).Scan(&sender, &subject); err != nil {
		t.Fatal(err)
	}
	if sender != "lead@cqc.org.uk" || subject != "Consultation response" {
		t.Errorf("source: %q %q", sender, subject)
	}

	bad := outlookMsg("four", "d@example.org", "Q1b: lost?")
	rep = e.importFile("bad.zip", zipOf(t,
		[2]string{"four.msg", string(bad)},
		[2]string{"five.msg", string(bad[:len(bad)/3])},
	), batchimport.Options{})
	if rep.Status != "rejected" || rep.BatchID == 0 || !strings.Contains(problems(rep), "five.msg: unreadable Outlook message") {
		t.Fatalf("corrupt: %+v %s", rep, problems(rep))
	}
	if got := e.total(); got != 3 {
		t.Errorf("after the rejected zip total %d, want 3 (nothing half-stored)", got)
	}
}
