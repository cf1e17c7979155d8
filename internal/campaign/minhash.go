package campaign

import (
	"encoding/binary"
	"math"
)

// Signature sizes: 64 hashes in 16 bands of 4 rows. A pair with Jaccard
// similarity s shares at least one band with probability 1-(1-s⁴)¹⁶:
// 0.64 at s=0.5, 0.98 at s=0.7, 1.0 at s=0.9. A campaign member needs to
// meet only one other member in a band, so clusters of hundreds are found
// even at lower similarity.
const (
	NumHashes = 64
	Bands     = 16
	Rows      = NumHashes / Bands
)

// Signature is a MinHash signature of a shingle set.
type Signature [NumHashes]uint32

// hashParams are fixed so that signatures stored in the database stay
// comparable across releases: changing them means re-signing everything.
var hashA, hashB [NumHashes]uint64

func init() {
	// splitmix64 from a fixed seed: reproducible, well spread.
	x := uint64(0x4865617264) // "Heard"
	next := func() uint64 {
		x += 0x9e3779b97f4a7c15
		z := x
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
		z = (z ^ (z >> 27)) * 0x94d049bb133111eb
		return z ^ (z >> 31)
	}
	for i := range hashA {
		hashA[i] = next() | 1 // odd multipliers for multiply-shift hashing
		hashB[i] = next()
	}
}

// Sign computes the MinHash signature of a set of shingle hashes. An empty
// set has the all-ones signature, which matches nothing but itself.
func Sign(shingles []uint64) Signature {
	var sig Signature
	for i := range sig {
		sig[i] = math.MaxUint32
	}
	for _, s := range shingles {
		for i := 0; i < NumHashes; i++ {
			if v := uint32((s*hashA[i] + hashB[i]) >> 32); v < sig[i] {
				sig[i] = v
			}
		}
	}
	return sig
}

// Similarity estimates the Jaccard similarity of the two sets.
func Similarity(a, b *Signature) float64 {
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / NumHashes
}

// Containment estimates how much of the smaller set lies in the larger
// one, |A∩B| / min(|A|,|B|), from the Jaccard estimate and the set sizes:
// |A∩B| = J(|A|+|B|)/(1+J). It is near 1 for "template plus added text"
// however long the added text, where Jaccard falls.
func Containment(j float64, sizeA, sizeB int) float64 {
	small := min(sizeA, sizeB)
	if small == 0 {
		return 0
	}
	inter := j * float64(sizeA+sizeB) / (1 + j)
	return min(inter/float64(small), 1)
}

// BandKeys returns one key per band: equal keys mean the two signatures
// agree on all rows of that band. The band number is part of the key so
// that all bands can share one index.
func BandKeys(sig *Signature) [Bands]int64 {
	var keys [Bands]int64
	for b := range keys {
		keys[b] = bandKey(sig, b)
	}
	return keys
}

// StoredBands is how many of the Bands keys a response stores (the first
// ones): they serve only the one-new-response lookup, since the job pass
// clusters in memory from the signatures. Keeping each key in the GIN
// index was most of the job pass (16 random entries per response into an
// index larger than shared_buffers at 1M), and half the keys is about
// half that work. A pair with Jaccard similarity s shares one of 8 bands
// with probability 1-(1-s⁴)⁸ (0.89 at s=0.7, 1.0 at 0.9), but a new copy
// of a campaign needs to meet only one of its many members, so placement
// recall stays ≥ 0.95 (make bench prints it). Rows stored with all 16
// keys (before this) still hold these 8 first and match as before.
const StoredBands = 8

// StoredBandKeys are the band keys as stored in response_signatures.bands
// (migration 000032): the first StoredBands keys, each XOR the
// consultation id, so that the same text in another consultation shares
// no key with it and a lookup never walks that consultation's copies.
func StoredBandKeys(consultationID int64, sig *Signature) []int64 {
	out := make([]int64, StoredBands)
	for b := range out {
		out[b] = bandKey(sig, b) ^ consultationID
	}
	return out
}

// Bytes encodes a signature for storage (256 bytes, little-endian).
func (s *Signature) Bytes() []byte {
	out := make([]byte, NumHashes*4)
	for i, v := range s {
		binary.LittleEndian.PutUint32(out[i*4:], v)
	}
	return out
}

// SignatureFromBytes decodes a stored signature.
func SignatureFromBytes(b []byte) (Signature, bool) {
	var s Signature
	if len(b) != NumHashes*4 {
		return s, false
	}
	for i := range s {
		s[i] = binary.LittleEndian.Uint32(b[i*4:])
	}
	return s, true
}
