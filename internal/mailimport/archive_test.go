package mailimport

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"strings"
	"testing"
)

func eml(id, subject, body string) string {
	return fmt.Sprintf("From: Resp <r@example.org>\nSubject: %s\nDate: Mon, 1 Mar 2021 10:00:00 +0000\nMessage-ID: <%s>\n\n%s\n", subject, id, body)
}

func TestReadMbox(t *testing.T) {
	data := "From r@example.org Mon Mar  1 10:00:00 2021\n" + eml("m1@x", "one", "First response.") +
		"\nFrom r@example.org Mon Mar  1 11:00:00 2021\n" + eml("m2@x", "two", "Quoting the letter:\n>From the start we supported Q1a.\nEnd.") +
		"\nFrom r@example.org Mon Mar  1 12:00:00 2021\n" + eml("m3@x", "three", "Third response.")
	msgs, probs, err := ReadFile("inbox.mbox", strings.NewReader(data), Limits{})
	if err != nil || len(probs) != 0 {
		t.Fatalf("ReadFile: %v, problems %v", err, probs)
	}
	var ids, items []string
	for _, m := range msgs {
		ids, items = append(ids, m.MessageID), append(items, m.Item)
	}
	if got := strings.Join(ids, " "); got != "m1@x m2@x m3@x" {
		t.Errorf("ids = %s", got)
	}
	if got := strings.Join(items, ","); got != "message 1,message 2,message 3" {
		t.Errorf("items = %s", got)
	}
	if !strings.Contains(msgs[1].Body, "\nFrom the start we supported Q1a.\n") {
		t.Errorf("escaped From line not restored: %q", msgs[1].Body)
	}
	if !bytes.Contains(msgs[1].Raw, []byte("\r\nFrom the start")) {
		t.Errorf("raw = %q", msgs[1].Raw)
	}
}

func TestReadMboxProblems(t *testing.T) {
	big := "From a Mon Mar  1 10:00:00 2021\n" + eml("ok1@x", "ok", "Fine.") +
		"\nFrom a Mon Mar  1 10:00:00 2021\n" + eml("big@x", "big", strings.Repeat("words ", 1000)) +
		"\nFrom a Mon Mar  1 10:00:00 2021\n" + eml("ok2@x", "ok", "Also fine.")
	msgs, probs, err := ReadFile("a.mbox", strings.NewReader(big), Limits{MaxMessageBytes: 2000})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].MessageID != "ok1@x" || msgs[1].MessageID != "ok2@x" {
		t.Errorf("messages = %d, want ok1 and ok2", len(msgs))
	}
	want := Problem{File: "a.mbox", Item: "message 2", Reason: "message is larger than the limit of 2000 bytes"}
	if len(probs) != 1 || probs[0] != want {
		t.Errorf("problems = %v, want %v", probs, want)
	}

	_, _, err = ReadFile("b.mbox", strings.NewReader("Subject: not an mbox\n\nx\n"), Limits{})
	if err == nil || !strings.Contains(err.Error(), "mailimport: read b.mbox: not an mbox file") {
		t.Errorf("err = %v", err)
	}
	msgs, probs, err = ReadFile("empty.mbox", strings.NewReader(""), Limits{})
	if err != nil || len(msgs) != 0 || len(probs) != 1 || probs[0].Reason != "the file holds no messages" {
		t.Errorf("empty mbox: %v %v %v", msgs, probs, err)
	}
}

func TestReadZip(t *testing.T) {
	data := zipOf(t,
		[2]string{"batch/", ""},
		[2]string{"batch/one.eml", eml("z1@x", "one", "First.")},
		[2]string{"batch/two.EML", eml("z2@x", "two", "Second.")},
		[2]string{"__MACOSX/batch/._one.eml", "resource fork"},
		[2]string{"batch/readme.txt", "not a message"},
	)
	msgs, probs, err := ReadFile("batch.zip", bytes.NewReader(data), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 2 || msgs[0].MessageID != "z1@x" || msgs[1].Item != "batch/two.EML" {
		t.Errorf("messages = %+v", msgs)
	}
	want := Problem{File: "batch.zip", Item: "batch/readme.txt", Reason: "not an .eml or .msg file; only emails are read from a zip"}
	if len(probs) != 1 || probs[0] != want {
		t.Errorf("problems = %v, want %v", probs, want)
	}
}

// bomb builds a zip whose one entry is size zero bytes, deflated to a few
// KiB; declared, if not negative, replaces the size in its header.
func bomb(t *testing.T, size int, declared int64) []byte {
	t.Helper()
	var packed bytes.Buffer
	fw, _ := flate.NewWriter(&packed, flate.BestCompression)
	fw.Write([]byte(eml("bomb@x", "bomb", "")))
	fw.Write(make([]byte, size))
	fw.Close()
	hdr := &zip.FileHeader{Name: "bomb.eml", Method: zip.Deflate, CompressedSize64: uint64(packed.Len()),
		UncompressedSize64: uint64(size)}
	if declared >= 0 {
		hdr.UncompressedSize64 = uint64(declared)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	w, err := zw.CreateRaw(hdr)
	if err != nil {
		t.Fatal(err)
	}
	w.Write(packed.Bytes())
	zw.Close()
	return out.Bytes()
}

func TestReadZipRefusesBombs(t *testing.T) {
	many := make([][2]string, 5)
	for i := range many {
		many[i] = [2]string{fmt.Sprintf("%d.eml", i), eml(fmt.Sprint(i), "s", "b")}
	}
	tests := []struct {
		name   string
		data   []byte
		lim    Limits
		item   string
		reason string
	}{
		{name: "entry declared over the limit", data: bomb(t, 30<<20, -1),
			item: "bomb.eml", reason: "declares 31457280 bytes uncompressed, more than the limit of 26214400"},
		{name: "entry lying about its size", data: bomb(t, 30<<20, 1000),
			item: "bomb.eml", reason: "cannot decompress: zip: not a valid zip file"},
		{name: "entry under the limit expanding past it", data: bomb(t, 10<<20, 512<<10), lim: Limits{MaxZipEntryBytes: 1 << 20},
			item: "bomb.eml", reason: "cannot decompress: zip: not a valid zip file"},
		{name: "total declared over the limit", data: bomb(t, 30<<20, -1), lim: Limits{MaxZipTotalBytes: 1 << 20},
			reason: "zip declares 31457280 bytes uncompressed, more than the limit of 1048576 (a zip bomb?); nothing was read"},
		{name: "too many entries", data: zipOf(t, many...), lim: Limits{MaxZipEntries: 4},
			reason: "zip has 5 entries, more than the limit of 4; nothing was read"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			msgs, probs, err := ReadFile("bomb.zip", bytes.NewReader(tt.data), tt.lim)
			if err != nil {
				t.Fatal(err)
			}
			want := Problem{File: "bomb.zip", Item: tt.item, Reason: tt.reason}
			if len(msgs) != 0 || len(probs) != 1 || probs[0] != want {
				t.Errorf("got %d messages, problems %v; want %v", len(msgs), probs, want)
			}
		})
	}
	if _, _, err := ReadFile("x.zip", strings.NewReader("not a zip"), Limits{}); err == nil ||
		!strings.Contains(err.Error(), "not a readable zip file") {
		t.Errorf("err = %v", err)
	}
}
