package campaign

import (
	"encoding/binary"

	"github.com/cespare/xxhash/v2"
)

// Thresholds decide when two responses are "the same text". They are set
// per consultation (campaign_settings) and documented in the README.
type Thresholds struct {
	// Jaccard is the least estimated Jaccard similarity of the two
	// responses' word 3-shingles for a near-duplicate (default 0.6).
	Jaccard float64
	// Containment is the least share of the smaller response's shingles
	// found in the larger for "template plus added text" (default 0.8).
	Containment float64
	// MinWords: responses with fewer normalised words are never matched,
	// so that thousands of "No comment" answers are not a campaign.
	MinWords int
	// MinMembers is the size at which a cluster is reported as a campaign
	// (smaller clusters are kept, and grow into campaigns as copies arrive).
	MinMembers int
}

// DefaultThresholds are used until an analyst changes them.
var DefaultThresholds = Thresholds{Jaccard: 0.6, Containment: 0.8, MinWords: 15, MinMembers: 5}

// Fingerprint is what detection keeps of a response's text.
type Fingerprint struct {
	Exact uint64 // ExactHash of the normalised words
	Words int    // number of normalised words
	Size  int    // number of distinct shingles
	Sig   Signature
}

// Fingerprint computes a text's fingerprint.
func FingerprintOf(text string) Fingerprint {
	words := Words(text)
	sh := Shingles(words)
	return Fingerprint{Exact: ExactHash(words), Words: len(words), Size: len(sh), Sig: Sign(sh)}
}

// Match reports whether two fingerprints are the same text by the
// thresholds, and their similarity: 1 for exact duplicates, else the
// larger of the Jaccard and containment estimates that passed.
func (t Thresholds) Match(a, b *Fingerprint) (bool, float64) {
	if a.Words < t.MinWords || b.Words < t.MinWords {
		return false, 0
	}
	if a.Exact == b.Exact {
		return true, 1
	}
	j := Similarity(&a.Sig, &b.Sig)
	if j >= t.Jaccard {
		return true, j
	}
	if c := Containment(j, a.Size, b.Size); c >= t.Containment {
		return true, c
	}
	return false, j
}

// Cluster groups fingerprints in memory (the whole-consultation job and the
// bench) and returns a cluster label per fingerprint: equal labels are one
// cluster; a response alone has its own index as label. It goes band by
// band, keeping one map of band key → first response at a time, so memory
// is the signatures plus one map, not sixteen.
func Cluster(fps []Fingerprint, t Thresholds) []int {
	parent := make([]int32, len(fps))
	for i := range parent {
		parent[i] = int32(i)
	}
	var find func(int32) int32
	find = func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	union := func(a, b int32) {
		ra, rb := find(a), find(b)
		if ra != rb {
			if ra < rb {
				parent[rb] = ra
			} else {
				parent[ra] = rb
			}
		}
	}
	exact := make(map[uint64]int32, len(fps)/4)
	for i := range fps {
		if fps[i].Words < t.MinWords {
			continue
		}
		if j, ok := exact[fps[i].Exact]; ok {
			union(j, int32(i))
		} else {
			exact[fps[i].Exact] = int32(i)
		}
	}
	exact = nil
	// Each band's representative is the smallest text with that band key:
	// most likely the bare template, which every "template plus added
	// text" contains, whereas two copies with long additions may not
	// match each other.
	first := make(map[int64]int32, len(fps))
	for b := 0; b < Bands; b++ {
		clear(first)
		for i := range fps {
			if fps[i].Words < t.MinWords {
				continue
			}
			key := bandKey(&fps[i].Sig, b)
			if j, ok := first[key]; !ok || fps[i].Size < fps[j].Size {
				first[key] = int32(i)
			}
		}
		for i := range fps {
			if fps[i].Words < t.MinWords {
				continue
			}
			j := first[bandKey(&fps[i].Sig, b)]
			if j == int32(i) || find(j) == find(int32(i)) {
				continue
			}
			if ok, _ := t.Match(&fps[j], &fps[i]); ok {
				union(j, int32(i))
			}
		}
	}
	repairSingletons(fps, t, find, union)
	labels := make([]int, len(fps))
	for i := range fps {
		labels[i] = int(find(int32(i)))
	}
	return labels
}

// bandKey is one band's key from BandKeys, computed alone.
func bandKey(sig *Signature, b int) int64 {
	var buf [4 + Rows*4]byte
	binary.LittleEndian.PutUint32(buf[0:4], uint32(b))
	for r := 0; r < Rows; r++ {
		binary.LittleEndian.PutUint32(buf[4+r*4:], sig[b*Rows+r])
	}
	return int64(xxhash.Sum64(buf[:]))
}

// WideBands and WideRows give a looser LSH (32 bands of 2 rows) used only
// against the few smallest members of each campaign: a copy with added text
// as long as the template shares a 4-row band with it only about 64% of the
// time, but a 2-row band more than 99.9% of the time.
const (
	WideBands = NumHashes / 2
	WideRows  = 2
)

// WideKeys returns the 32 keys of the looser banding.
func WideKeys(sig *Signature) [WideBands]int64 {
	var keys [WideBands]int64
	var buf [4 + WideRows*4]byte
	for b := range keys {
		binary.LittleEndian.PutUint32(buf[0:4], uint32(1000+b))
		for r := 0; r < WideRows; r++ {
			binary.LittleEndian.PutUint32(buf[4+r*4:], sig[b*WideRows+r])
		}
		keys[b] = int64(xxhash.Sum64(buf[:]))
	}
	return keys
}

// repsPerCampaign is how many of a campaign's smallest members stand for
// it in the repair pass.
const repsPerCampaign = 4

// repairSingletons gives responses left alone after banding a second
// chance against the smallest members of each cluster big enough to be a
// campaign, through the looser banding.
func repairSingletons(fps []Fingerprint, t Thresholds, find func(int32) int32, union func(a, b int32)) {
	size := map[int32]int{}
	for i := range fps {
		size[find(int32(i))]++
	}
	reps := map[int32][]int32{} // cluster root -> smallest members
	for i := range fps {
		r := find(int32(i))
		if size[r] < max(t.MinMembers, 2) {
			continue
		}
		list := append(reps[r], int32(i))
		// insertion keeps the list sorted by size, at most repsPerCampaign long
		for k := len(list) - 1; k > 0 && fps[list[k]].Size < fps[list[k-1]].Size; k-- {
			list[k], list[k-1] = list[k-1], list[k]
		}
		if len(list) > repsPerCampaign {
			list = list[:repsPerCampaign]
		}
		reps[r] = list
	}
	index := map[int64][]int32{}
	for _, list := range reps {
		for _, i := range list {
			for _, k := range WideKeys(&fps[i].Sig) {
				index[k] = append(index[k], i)
			}
		}
	}
	if len(index) == 0 {
		return
	}
	for i := range fps {
		if fps[i].Words < t.MinWords || size[find(int32(i))] > 1 {
			continue
		}
		tried := map[int32]bool{}
	keys:
		for _, k := range WideKeys(&fps[i].Sig) {
			for _, j := range index[k] {
				if tried[j] {
					continue
				}
				tried[j] = true
				if ok, _ := t.Match(&fps[j], &fps[i]); ok {
					union(j, int32(i))
					break keys
				}
			}
		}
	}
}
