package stream

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestSeedsKnownAnswers pins the derivation: a change here changes every
// result of every seed, which the package forecast stream contract forbids
// within a minor version.
func TestSeedsKnownAnswers(t *testing.T) {
	src := rand.NewPCG(0, 0)
	got := make([]uint64, 0, 6)
	for _, c := range []struct{ seed, block uint64 }{{0, 0}, {0, 1}, {42, 7}} {
		Reset(src, c.seed, c.block)
		got = append(got, src.Uint64(), src.Uint64())
	}
	want := []uint64{0xd0047ba37af0f76a, 0xbf5a6833e430e836, 0xebeab9c1a52bc983, 0x8e3cf753709c89c, 0xc0b114fbf1bc7ba, 0x133c52d05c053734}
	assert.Equal(t, want, got)
}

func TestSeedsDistinct(t *testing.T) {
	seen := map[[2]uint64]bool{}
	for s := uint64(0); s < 64; s++ {
		for b := uint64(0); b < 64; b++ {
			h, l := Seeds(s, b)
			k := [2]uint64{h, l}
			assert.False(t, seen[k], "seed %d block %d repeats a state", s, b)
			seen[k] = true
		}
	}
}
