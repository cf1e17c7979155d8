package batchimport_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"heard/internal/batchimport"
	"heard/internal/consultation"
	"heard/internal/dbtest"
	"heard/internal/demo"
	"heard/internal/results"
)

type env struct {
	t    *testing.T
	pool *pgxpool.Pool
	c    *consultation.Consultation
	svc  *batchimport.Service
	dir  string
}

// newEnv loads the CQC 2021 definition (no responses) with cqc.org.uk
// suggesting the CQC teams group.
func newEnv(t *testing.T) *env {
	t.Helper()
	pool := dbtest.NewPool(t)
	def, err := demo.Definition()
	if err != nil {
		t.Fatal(err)
	}
	for i := range def.RespondentGroups {
		if def.RespondentGroups[i].Slug == "cqc-teams" {
			def.RespondentGroups[i].EmailDomains = []string{"cqc.org.uk"}
		}
	}
	c, err := (&consultation.Service{Pool: pool}).Load(context.Background(), def)
	if err != nil {
		t.Fatal(err)
	}
	return &env{t: t, pool: pool, c: c, svc: &batchimport.Service{Pool: pool}, dir: t.TempDir()}
}

func (e *env) file(name string, b []byte) string {
	e.t.Helper()
	p := filepath.Join(e.dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		e.t.Fatal(err)
	}
	return p
}

func (e *env) importFile(name string, b []byte, o batchimport.Options) *batchimport.Report {
	e.t.Helper()
	o.Consultation = e.c
	rep, err := e.svc.ImportPath(context.Background(), e.file(name, b), name, o)
	if err != nil {
		e.t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

// total counts the consultation's responses through the results path.
func (e *env) total() int64 {
	e.t.Helper()
	tb, err := (&results.Service{Pool: e.pool}).Counts(context.Background(), e.c, results.Filter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return tb.Overview().Total
}

func (e *env) answered(code string) int64 {
	e.t.Helper()
	tb, err := (&results.Service{Pool: e.pool}).Counts(context.Background(), e.c, results.Filter{})
	if err != nil {
		e.t.Fatal(err)
	}
	return tb.Question(e.c.Question(code)).Answered
}

// msg is an RFC 5322 message with CRLF line ends.
func msg(lines ...string) []byte {
	return []byte(strings.Join(lines, "\r\n"))
}

func b64(s string) string {
	enc := base64.StdEncoding.EncodeToString([]byte(s))
	var out strings.Builder
	for len(enc) > 76 {
		out.WriteString(enc[:76] + "\r\n")
		enc = enc[76:]
	}
	out.WriteString(enc)
	return out.String()
}

func zipOf(t *testing.T, files ...[2]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(f[1])) //nolint:errcheck // bytes.Buffer
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func problems(r *batchimport.Report) string {
	var s []string
	for _, p := range r.Problems {
		s = append(s, p.String())
	}
	return strings.Join(s, "\n")
}
