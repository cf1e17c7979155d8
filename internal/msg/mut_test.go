package msg_test

import (
	"math/rand"
	"testing"
	"time"

	"heard/internal/msg"
)

// TestDamagedFiles reads thousands of randomly damaged copies of a
// message (bytes changed, often in the header, FAT and directory, or the
// file cut short): each must come back, as a message or an error, quickly
// and without a panic. The header check exists because of this test.
func TestDamagedFiles(t *testing.T) {
	t.Parallel()
	seed := letter(false).Bytes()
	rng := rand.New(rand.NewSource(1))
	for i := range 10000 {
		b := append([]byte(nil), seed...)
		for range 1 + rng.Intn(8) {
			pos := rng.Intn(len(b))
			if i%2 == 0 {
				pos = rng.Intn(1536) // the header, FAT and directory
			}
			b[pos] = byte(rng.Intn(256))
		}
		if rng.Intn(4) == 0 {
			b = b[:rng.Intn(len(b))]
		}
		start := time.Now()
		msg.Read(b) //nolint:errcheck // only panics and time matter here
		if d := time.Since(start); d > 5*time.Second {
			t.Fatalf("damaged copy %d took %s", i, d)
		}
	}
}
