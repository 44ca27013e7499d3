package saltelli

import "math"

// ksum is a compensated sum (Neumaier's variant of Kahan summation): the
// error of the running sum is carried in c, so the sum of n terms is exact
// to a few ulps of the largest partial sum rather than n of them.
type ksum struct{ s, c float64 }

func (k *ksum) add(x float64) {
	t := k.s + x
	if math.Abs(k.s) >= math.Abs(x) {
		k.c += (k.s - t) + x
	} else {
		k.c += (x - t) + k.s
	}
	k.s = t
}

// merge adds the sum o and one more term x.
func (k *ksum) merge(o ksum, x float64) {
	k.add(o.s)
	k.add(o.c)
	k.add(x)
}

func (k ksum) val() float64 { return k.s + k.c }
