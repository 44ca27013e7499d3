# Reference values for the distributions tests: python3 testdata/reference.py
# (mpmath 1.3.0, independent of gonum; quantiles by 200-step bisection of the CDF).
# Its output is testdata/reference.txt; each magic number in *_test.go cites it.
from mpmath import mp, mpf, ncdf, npdf, erfinv, sqrt, log, exp, betainc, gammainc, findroot, quad, inf, asin, pi, nstr
mp.dps = 40
def bis(g, a, b):
  a,b=mpf(a),mpf(b)
  for _ in range(200):
    m=(a+b)/2
    if g(m) < 0: a=m
    else: b=m
  return (a+b)/2
def f(x): return nstr(x, 17, strip_zeros=False, min_fixed=-4, max_fixed=6)
def nq(p): return sqrt(2)*erfinv(2*mpf(p)-1)
print("z95", f(nq('0.95')))
# Normal(1, 2)
for x in ['-1','0.5','1','3','5','-6']: print("N cdf", x, f(ncdf(mpf(x), 1, 2)))
for p in ['0.001','0.05','0.25','0.5','0.9','0.999']: print("N q", p, f(1+2*nq(p)))
# LogNormal(4.38, 0.25)
for x in ['50','80','100']: print("LN cdf", x, f(ncdf(log(mpf(x)), mpf('4.38'), mpf('0.25'))))
for p in ['0.05','0.5','0.95']: print("LN q", p, f(exp(mpf('4.38')+mpf('0.25')*nq(p))))
print("LN mean", f(exp(mpf('4.38')+mpf('0.25')**2/2)))
# Triangular(0,3,10)
def tcdf(x):
  x=mpf(x)
  if x<=3: return x*x/30
  return 1-(10-x)**2/70
for x in ['1','2','3','5','9']: print("T cdf", x, f(tcdf(x)))
for p in ['0.1','0.3','0.5','0.9']: print("T q", p, f(bis(lambda x: tcdf(x)-mpf(p), 0, 10)))
# PERT
def pcdf(mn, md, mx, x):
  mn,md,mx,x=map(mpf,(mn,md,mx,x)); w=mx-mn; a=1+4*(md-mn)/w; b=1+4*(mx-md)/w
  return betainc(a,b,0,(x-mn)/w,regularized=True)
for (mn,md,mx) in [('115','125','135'),('0','2','10')]:
  for x in {'115':['118','125','130'],'0':['1','2','5']}[mn]: print("PERT cdf", mn,md,mx,x, f(pcdf(mn,md,mx,x)))
  for p in ['0.05','0.5','0.95']: print("PERT q", mn,md,mx,p, f(bis(lambda x: pcdf(mn,md,mx,x)-mpf(p), mn, mx)))
# Beta
for (a,b) in [('2','5'),('0.5','0.5'),('0.3','4')]:
  a,b=mpf(a),mpf(b)
  for x in ['0.05','0.2','0.5','0.9']: print("Beta cdf", a,b,x, f(betainc(a,b,0,mpf(x),regularized=True)))
  for p in ['0.05','0.5','0.95']: print("Beta q", a,b,p, f(bis(lambda x: betainc(a,b,0,x,regularized=True)-mpf(p), 0, 1)))
# Gamma(shape, rate)
for (k,r) in [('2','0.5'),('0.3','2'),('9','3')]:
  k,r=mpf(k),mpf(r)
  for x in ['0.1','1','4','10']: print("Gamma cdf", k,r,x, f(gammainc(k,0,r*mpf(x),regularized=True)))
  for p in ['0.05','0.5','0.95']: print("Gamma q", k,r,p, f(bis(lambda x: gammainc(k,0,r*x,regularized=True)-mpf(p), 0, 100)))
# CI90
lo,hi=mpf(115),mpf(135); mu=(log(lo)+log(hi))/2; s=(log(hi)-log(lo))/(2*nq('0.95'))
print("CI90 mu sigma", f(mu), f(s), "mean", f(exp(mu+s*s/2)), "cdf125", f(ncdf(log(mpf(125)),mu,s)), "q0.5", f(exp(mu)), "q0.25", f(exp(mu+s*nq('0.25'))))
lo,hi=mpf('-0.1'),mpf('0.3'); mu=(lo+hi)/2; s=(hi-lo)/(2*nq('0.95'))
print("CI90n mu sigma", f(mu), f(s), "cdf0", f(ncdf(0,mu,s)), "q0.25", f(mu+s*nq('0.25')))
# Truncated normal(0.2, 0.1) on [0, 1]
m,s=mpf('0.2'),mpf('0.1')
Z=ncdf(1,m,s)-ncdf(0,m,s)
tc=lambda x: (ncdf(x,m,s)-ncdf(0,m,s))/Z
print("TN cdf 0.1", f(tc(mpf('0.1'))), "cdf 0.3", f(tc(mpf('0.3'))))
for p in ['0.05','0.5','0.95']: print("TN q", p, f(bis(lambda x: tc(x)-mpf(p), 0, 1)))
print("TN mean", f(quad(lambda x: x*npdf(x,m,s),[0,1])/Z))
# Truncated lognormal(0, 1) on [0.5, 3]
Z=ncdf(log(3),0,1)-ncdf(log(mpf('0.5')),0,1)
print("TLN mean", f(quad(lambda x: x*npdf(log(x),0,1)/x,[mpf('0.5'),3])/Z))
# Truncated gamma(2, 1) on [1, inf)
Z=1-gammainc(2,0,1,regularized=True)
print("TG mean", f(quad(lambda x: x*x*exp(-x),[1,inf])/Z))
print("TG cdf 2", f((gammainc(2,0,2,regularized=True)-gammainc(2,0,1,regularized=True))/Z))
# Truncated triangular(0,3,10) on [2, 8]
Z=tcdf(8)-tcdf(2)
def tpdf(x): return 2*x/30 if x<=3 else 2*(10-x)/70
print("TT mean", f(quad(lambda x: x*tpdf(x),[2,3,8])/Z))
# Truncated normal(0,1), (-inf, 0]
print("TN2 mean", f(-sqrt(2/pi)))
# Mixture 0.3 N(0,1) + 0.7 U(2,3)
mc=lambda x: mpf('0.3')*ncdf(x)+mpf('0.7')*min(max(x-2,0),1)
print("Mix cdf 2.5", f(mc(mpf('2.5'))), "cdf 0", f(mc(mpf(0))))
for p in ['0.1','0.5','0.9']: print("Mix q", p, f(bis(lambda x: mc(x)-mpf(p), -10, 10)))
print("Mix mean", f(mpf('0.7')*mpf('2.5')))
# Truncated mixture 0.3 N(0,1) + 0.7 U(2,3) on (0, 2.5]
mass = mpf('0.3')*(ncdf(mpf('2.5'))-mpf('0.5')) + mpf('0.7')*mpf('0.5')
pm = mpf('0.3')*(npdf(0)-npdf(mpf('2.5'))) + mpf('0.7')*(mpf('2.5')**2-4)/2
print("TMix mean", f(pm/mass))
# Truncated PERT(0, 2, 10) on [1, 6], Beta(2, 5) on [0.1, 0.5], Gamma(0.3, 2) on [0.5, 2]
def pertpdf(x):
  a, b = mpf('1.8'), mpf('4.2'); y = x/10
  return y**(a-1)*(1-y)**(b-1)/mp.beta(a,b)/10
print("TPERT mean", f(quad(lambda x: x*pertpdf(x),[1,6])/quad(pertpdf,[1,6])))
bpdf = lambda x: x*(1-x)**4/mp.beta(2,5)
print("TBeta mean", f(quad(lambda x: x*bpdf(x),[mpf('0.1'),mpf('0.5')])/quad(bpdf,[mpf('0.1'),mpf('0.5')])))
gpdf = lambda x: 2**mpf('0.3')*x**(mpf('0.3')-1)*exp(-2*x)/mp.gamma(mpf('0.3'))
print("TGamma mean", f(quad(lambda x: x*gpdf(x),[mpf('0.5'),2])/quad(gpdf,[mpf('0.5'),2])))
# Gamma quantiles in the lower tail (the path that refines by Halley steps).
for (k,r) in [('2','0.5'),('0.3','2'),('50','1'),('0.01','1')]:
  k,r=mpf(k),mpf(r)
  for p in ['1e-10','0.001','0.2']:
    # bisection on log x, since these quantiles span hundreds of decades
    print("Gamma lowq", k, r, p, f(exp(bis(lambda lx: gammainc(k,0,r*exp(lx),regularized=True)-mpf(p), -1500, 10))))
