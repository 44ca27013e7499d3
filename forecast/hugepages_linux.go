package forecast

import (
	"syscall"
	"unsafe"
)

// adviseHuge asks Linux to back a large sample array with transparent huge
// pages (MADV_HUGEPAGE; a hint, errors ignored). Where THP is in "madvise"
// mode, as on many distributions, first-touch page faults on a 10⁷-trial
// output otherwise cost the kernel 20 000 faults per 80 MB.
func adviseHuge(s []float64) {
	const huge = 2 << 20
	n := len(s) * 8
	if n < 2*huge {
		return
	}
	p := uintptr(unsafe.Pointer(&s[0]))
	start := (p + huge - 1) &^ (huge - 1)
	end := (p + uintptr(n)) &^ (huge - 1)
	if end <= start {
		return
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(start)), end-start)
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
}
