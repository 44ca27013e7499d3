package forecast

import (
	"fmt"
	"math"
	"sort"
	"strings"

	"gonum.org/v1/gonum/mat"
)

// Correlations is the rank-correlation matrix a run used between its
// correlated input values (a series contributes one value per year).
type Correlations struct {
	// Names labels rows and columns: an input's name, with " [year]" for
	// the years of a series.
	Names []string
	// Spearman is the rank-correlation matrix, row-major, len(Names)² values.
	Spearman []float64
	// Repaired reports that the requested matrix was not positive
	// semi-definite and was replaced by the nearest correlation matrix.
	Repaired bool
}

// At returns the rank correlation between rows i and j.
func (c *Correlations) At(i, j int) float64 { return c.Spearman[i*len(c.Names)+j] }

// copula is the Gaussian copula of a model's correlated input values.
type copula struct {
	dims   []int     // input-row positions of the correlated values, ascending
	factor []float64 // k×k row-major A with A Aᵀ = normal-score correlation
	lower  bool      // factor is lower triangular (Cholesky)
	nu     float64   // degrees of freedom of a Student t copula, 0 for Gaussian
	used   *Correlations
}

// mix sets zc to A·z, the factor times the normal scores of row's
// correlated values (z is scratch of length k, gathered from row at dims).
// It is the per-trial step both copulas share; it allocates nothing.
func (c *copula) mix(zc, z, row []float64) {
	k := len(c.dims)
	for j, d := range c.dims {
		z[j] = row[d]
	}
	for j := 0; j < k; j++ {
		a := c.factor[j*k : (j+1)*k]
		hi := k
		if c.lower {
			hi = j + 1
		}
		s := 0.0
		for l := 0; l < hi; l++ {
			s += a[l] * z[l]
		}
		zc[j] = s
	}
}

// spearmanToPearson converts a Spearman rank correlation into the
// correlation of the Gaussian copula that achieves it: 2 sin(π ρ_s / 6)
// (Pearson 1907; e.g. Kruskal 1958, eq. 5.5).
func spearmanToPearson(rs float64) float64 { return 2 * math.Sin(math.Pi*rs/6) }

// pearsonToSpearman is the inverse of spearmanToPearson.
func pearsonToSpearman(r float64) float64 { return 6 / math.Pi * math.Asin(r/2) }

// buildCopula returns nil when the model has no correlations.
func (m *Model) buildCopula(repair bool) (*copula, error) {
	if len(m.corrs) == 0 {
		return nil, nil
	}
	type pair struct{ i, j int }
	rho := map[pair]float64{}
	set := map[int]bool{}
	// rho holds normal-score (Pearson) correlations of the copula.
	for _, c := range m.corrs {
		a, b := m.inputs[c.a], m.inputs[c.b]
		if c.a == c.b { // Autocorrelate: AR(1) on the normal scores
			r := spearmanToPearson(c.rho)
			for y := 0; y < a.n; y++ {
				set[a.off+y] = true
				ry := 1.0
				for y2 := y + 1; y2 < a.n; y2++ {
					ry *= r
					rho[pair{a.off + y, a.off + y2}] = ry
				}
			}
			continue
		}
		n := a.n
		if b.n > n {
			n = b.n
		}
		for y := 0; y < n; y++ {
			ia, ib := y, y
			if a.n == 1 {
				ia = 0
			} else if y >= a.n {
				continue
			}
			if b.n == 1 {
				ib = 0
			} else if y >= b.n {
				continue
			}
			da, db := a.off+ia, b.off+ib
			set[da], set[db] = true, true
			if da > db {
				da, db = db, da
			}
			rho[pair{da, db}] = spearmanToPearson(c.rho)
		}
	}
	dims := make([]int, 0, len(set))
	for d := range set {
		dims = append(dims, d)
	}
	sort.Ints(dims)
	pos := map[int]int{}
	for i, d := range dims {
		pos[d] = i
	}
	k := len(dims)
	c := mat.NewSymDense(k, nil)
	for i := 0; i < k; i++ {
		c.SetSym(i, i, 1)
	}
	for p, r := range rho {
		c.SetSym(pos[p.i], pos[p.j], r)
	}
	// A Student t copula (studentcopula.go) takes the entries that achieve
	// the same Spearman coefficients under it.
	var ts *tSpearman
	if m.nu > 0 {
		ts = newTSpearman(m.nu)
		entries := map[float64]float64{}
		for i := 0; i < k; i++ {
			for j := i + 1; j < k; j++ {
				g := c.At(i, j)
				if _, ok := entries[g]; !ok {
					entries[g] = ts.entry(pearsonToSpearman(g))
				}
				c.SetSym(i, j, entries[g])
			}
		}
	}
	names := make([]string, k)
	for i, d := range dims {
		name, year := m.dimName(d)
		if year > 0 {
			name = fmt.Sprintf("%s [%d]", name, year)
		}
		names[i] = name
	}
	cp := &copula{dims: dims, nu: m.nu}
	repaired := false
	var chol mat.Cholesky
	if ok := chol.Factorize(c); !ok {
		var eig mat.EigenSym
		if !eig.Factorize(c, false) {
			return nil, fmt.Errorf("forecast: correlations among %s: eigen-decomposition failed", quoteList(names))
		}
		minEig := eig.Values(nil)[0]
		if minEig < -1e-10 {
			if !repair {
				return nil, fmt.Errorf("forecast: correlations among %s are inconsistent: the matrix is not positive semi-definite (smallest eigenvalue %.3g); change them or set Options.RepairCorrelations to use the nearest valid matrix", quoteList(names), minEig)
			}
			c = nearestCorrelation(c)
			repaired = true
		}
		if ok := chol.Factorize(c); !ok {
			// Positive semi-definite but singular (e.g. rho = 1): factor
			// through the eigen-decomposition, A = V √Λ.
			cp.factor = eigenFactor(c)
		}
	}
	if cp.factor == nil {
		var l mat.TriDense
		chol.LTo(&l)
		cp.factor = make([]float64, k*k)
		for i := 0; i < k; i++ {
			for j := 0; j <= i; j++ {
				cp.factor[i*k+j] = l.At(i, j)
			}
		}
		cp.lower = true
	}
	used := &Correlations{Names: names, Spearman: make([]float64, k*k), Repaired: repaired}
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			if ts != nil {
				used.Spearman[i*k+j], _ = ts.spearman(c.At(i, j))
			} else {
				used.Spearman[i*k+j] = pearsonToSpearman(c.At(i, j))
			}
		}
		used.Spearman[i*k+i] = 1
	}
	cp.used = used
	return cp, nil
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	return strings.Join(q, ", ")
}

// eigenFactor returns A = V √max(Λ, 0), row-major, with A Aᵀ = c.
func eigenFactor(c *mat.SymDense) []float64 {
	k := c.SymmetricDim()
	var eig mat.EigenSym
	eig.Factorize(c, true)
	vals := eig.Values(nil)
	var v mat.Dense
	eig.VectorsTo(&v)
	a := make([]float64, k*k)
	for i := 0; i < k; i++ {
		for j := 0; j < k; j++ {
			a[i*k+j] = v.At(i, j) * math.Sqrt(math.Max(vals[j], 0))
		}
	}
	return a
}

// nearestCorrelation returns the nearest correlation matrix to c in the
// Frobenius norm, by Higham's alternating projections with Dykstra's
// correction (N. J. Higham, "Computing the nearest correlation matrix — a
// problem from finance", IMA J. Numer. Anal. 22, 2002). gonum has the
// eigen-decomposition it needs but not the algorithm itself.
func nearestCorrelation(c *mat.SymDense) *mat.SymDense {
	k := c.SymmetricDim()
	y := mat.NewSymDense(k, nil)
	y.CopySym(c)
	ds := mat.NewSymDense(k, nil) // Dykstra correction
	r := mat.NewSymDense(k, nil)
	x := mat.NewSymDense(k, nil)
	var eig mat.EigenSym
	var v mat.Dense
	for iter := 0; iter < 1000; iter++ {
		// R = Y − ΔS; X = P_S(R): clip negative eigenvalues.
		for i := 0; i < k; i++ {
			for j := i; j < k; j++ {
				r.SetSym(i, j, y.At(i, j)-ds.At(i, j))
			}
		}
		eig.Factorize(r, true)
		vals := eig.Values(nil)
		eig.VectorsTo(&v)
		for i := 0; i < k; i++ {
			for j := i; j < k; j++ {
				s := 0.0
				for l := 0; l < k; l++ {
					if vals[l] > 0 {
						s += v.At(i, l) * vals[l] * v.At(j, l)
					}
				}
				x.SetSym(i, j, s)
			}
		}
		// ΔS = X − R; Y = P_U(X): unit diagonal.
		diff := 0.0
		for i := 0; i < k; i++ {
			for j := i; j < k; j++ {
				ds.SetSym(i, j, x.At(i, j)-r.At(i, j))
				nv := x.At(i, j)
				if i == j {
					nv = 1
				}
				diff = math.Max(diff, math.Abs(nv-y.At(i, j)))
				y.SetSym(i, j, nv)
			}
		}
		if diff < 1e-12 {
			break
		}
	}
	// Nudge towards the identity so that the result is safely positive
	// definite for the Cholesky factor (the projection lands on the boundary).
	const shrink = 1e-9
	for i := 0; i < k; i++ {
		for j := i + 1; j < k; j++ {
			y.SetSym(i, j, y.At(i, j)*(1-shrink))
		}
	}
	return y
}
