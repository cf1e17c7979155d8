package msg

import (
	"bytes"
	"errors"

	"github.com/richardlehane/mscfb"
)

// RTFBody is the text of a message's compressed RTF body alone, so tests
// can check the RTF path on a file that also has a plain body.
func RTFBody(b []byte) (string, error) {
	r, err := mscfb.New(bytes.NewReader(b))
	if err != nil {
		return "", err
	}
	t := &tree{streams: map[string]*mscfb.File{}, storages: map[string]bool{}, limit: int64(len(b))}
	for f, err := r.Next(); err == nil; f, err = r.Next() {
		if len(f.Path) == 0 && !f.FileInfo().IsDir() {
			t.streams[f.Name] = f
		}
	}
	ps, err := t.props("", 32, nil)
	if err != nil {
		return "", err
	}
	c := ps.bytes(0x1009)
	if c == nil {
		return "", errors.New("no RTF body")
	}
	return rtfBody(c)
}
