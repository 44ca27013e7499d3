#!/usr/bin/env python3
"""Regenerates joekuo.bin, the packed Joe–Kuo direction numbers, from scipy.

    python3 internal/sobol/gen_joekuo.py > internal/sobol/joekuo.bin

The source is the new-joe-kuo-6.21201 table as scipy ships it
(scipy/stats/_sobol_direction_numbers.npz: arrays `poly`, the primitive
polynomials with their leading and trailing terms, and `vinit`, the initial
direction numbers m_1..m_s), e.g. from Debian's python3-scipy
(apt-get install python3-scipy). The bit layout is the one directions.go
reads; TestDirectionsTable checks the decoded table against published points.
"""
import os
import sys

import numpy as np
import scipy.stats

path = os.path.join(os.path.dirname(scipy.stats.__file__), "_sobol_direction_numbers.npz")
z = np.load(path)
poly, vinit = z["poly"], z["vinit"]
bits = []


def put(v, w):
    for i in range(w):
        bits.append((v >> i) & 1)


for d in range(1, len(poly)):  # dimension 1 (van der Corput) is not stored
    p = int(poly[d])
    s = p.bit_length() - 1
    put(s, 5)
    put((p >> 1) & ((1 << (s - 1)) - 1), s - 1)
    for k in range(1, s + 1):
        m = int(vinit[d, k - 1])
        assert m % 2 == 1 and m < (1 << k), (d, k, m)
        put(m >> 1, k - 1)
out = bytearray((len(bits) + 7) // 8)
for i, b in enumerate(bits):
    if b:
        out[i >> 3] |= 1 << (i & 7)
sys.stdout.buffer.write(bytes(out))
