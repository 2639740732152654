;; isacflow's WebAssembly SIMD kernels: the hot loops of CP (the FFT start, the tone passes, the ALS and
;; LM passes) and of the echo generator (signal sum, ziggurat noise), on complex data held as one v128
;; per value: (re, im), f64 each.
;;
;; Every kernel does the arithmetic of its JavaScript twin in the same order, operation by operation, so
;; both give the same numbers bit for bit (tested): a complex product p = x·w is
;;   x·(wr, wr) + swap(x)·(−wi, wi) = (xr wr − xi wi, xi wr + xr wi)
;; which is the scalar (xr*wr − xi*wi, xr*wi + xi*wr): a + (−b) = a − b and x·(−y) = −(x·y) exactly, and
;; IEEE addition commutes. Twiddle and tone tables are given in that split form, 32 bytes per entry:
;; (wr, wr) then (−wi, wi). All addresses are byte offsets into the exported memory.
;;
;; Rebuild the binary after an edit: npm run build:wasm (writes kernels-binary.ts; a test checks that
;; the two agree).
(module
  ;; Math.log and Math.exp themselves (kernels.ts imports them): where the ziggurat's slow path needs
  ;; their values (the tail; a wedge test near its boundary, see $belowExp) it calls the functions the
  ;; JavaScript one calls, so it gets the same values
  (import "math" "log" (func $log (param f64) (result f64)))
  (import "math" "exp" (func $exp (param f64) (result f64)))
  (memory (export "memory") 1)
  ;; the xoroshiro128+ state of the ziggurat's slow path: s0, s1 (pure-rand's halves s00, s01 and s10, s11
  ;; are their low and high 32 bits)
  (global $g0 (mut i64) (i64.const 0))
  (global $g1 (mut i64) (i64.const 0))

  ;; Forward DFT in place of `count` contiguous sequences of n complex values from x (radix-2,
  ;; decimation in time): Radix2Fft.transform of fft-radix2.ts. sw: the bit-reversal pairs (i, j) as
  ;; i32 complex indices, nsw pairs; tw: the split twiddles W_n^t = e^{−j2πt/n}, t < n/2.
  (func (export "fftSeqs") (param $x i32) (param $count i32) (param $n i32) (param $tw i32) (param $sw i32) (param $nsw i32)
    (local $s i32) (local $base i32) (local $q i32) (local $i i32) (local $j i32) (local $end i32)
    (local $half i32) (local $step i32) (local $start i32) (local $k i32) (local $t i32)
    (local $a v128) (local $b v128) (local $p v128)
    (if (i32.lt_u (local.get $n) (i32.const 2)) (then (return)))
    (local.set $base (local.get $x))
    (block $seqsDone
      (loop $seqs
        (br_if $seqsDone (i32.ge_u (local.get $s) (local.get $count)))
        ;; bit-reversal permutation
        (local.set $q (i32.const 0))
        (block $swDone
          (loop $swaps
            (br_if $swDone (i32.ge_u (local.get $q) (local.get $nsw)))
            (local.set $i (i32.add (local.get $base)
              (i32.shl (i32.load (i32.add (local.get $sw) (i32.shl (local.get $q) (i32.const 3)))) (i32.const 4))))
            (local.set $j (i32.add (local.get $base)
              (i32.shl (i32.load offset=4 (i32.add (local.get $sw) (i32.shl (local.get $q) (i32.const 3)))) (i32.const 4))))
            (local.set $a (v128.load (local.get $i)))
            (v128.store (local.get $i) (v128.load (local.get $j)))
            (v128.store (local.get $j) (local.get $a))
            (local.set $q (i32.add (local.get $q) (i32.const 1)))
            (br $swaps)))
        ;; first stage (twiddle 1)
        (local.set $i (local.get $base))
        (local.set $end (i32.add (local.get $base) (i32.shl (local.get $n) (i32.const 4))))
        (block $s1Done
          (loop $s1
            (br_if $s1Done (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $a (v128.load (local.get $i)))
            (local.set $b (v128.load offset=16 (local.get $i)))
            (v128.store (local.get $i) (f64x2.add (local.get $a) (local.get $b)))
            (v128.store offset=16 (local.get $i) (f64x2.sub (local.get $a) (local.get $b)))
            (local.set $i (i32.add (local.get $i) (i32.const 32)))
            (br $s1)))
        ;; stages half = 2, 4, ..., n/2
        (local.set $half (i32.const 2))
        (block $stDone
          (loop $stages
            (br_if $stDone (i32.ge_u (local.get $half) (local.get $n)))
            (local.set $step (i32.div_u (local.get $n) (i32.shl (local.get $half) (i32.const 1))))
            (local.set $start (i32.const 0))
            (block $grDone
              (loop $groups
                (br_if $grDone (i32.ge_u (local.get $start) (local.get $n)))
                (local.set $k (i32.const 0))
                (local.set $t (local.get $tw))
                (local.set $i (i32.add (local.get $base) (i32.shl (local.get $start) (i32.const 4))))
                (block $bfDone
                  (loop $butterflies
                    (br_if $bfDone (i32.ge_u (local.get $k) (local.get $half)))
                    (local.set $j (i32.add (local.get $i) (i32.shl (local.get $half) (i32.const 4))))
                    (local.set $b (v128.load (local.get $j)))
                    (local.set $p (f64x2.add
                      (f64x2.mul (local.get $b) (v128.load (local.get $t)))
                      (f64x2.mul
                        (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b) (local.get $b))
                        (v128.load offset=16 (local.get $t)))))
                    (local.set $a (v128.load (local.get $i)))
                    (v128.store (local.get $i) (f64x2.add (local.get $a) (local.get $p)))
                    (v128.store (local.get $j) (f64x2.sub (local.get $a) (local.get $p)))
                    (local.set $i (i32.add (local.get $i) (i32.const 16)))
                    (local.set $t (i32.add (local.get $t) (i32.shl (local.get $step) (i32.const 5))))
                    (local.set $k (i32.add (local.get $k) (i32.const 1)))
                    (br $butterflies)))
                (local.set $start (i32.add (local.get $start) (i32.shl (local.get $half) (i32.const 1))))
                (br $groups)))
            (local.set $half (i32.shl (local.get $half) (i32.const 1)))
            (br $stages)))
        (local.set $base (i32.add (local.get $base) (i32.shl (local.get $n) (i32.const 4))))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $seqs)))
  )

  ;; Radix2Fft.rowStages of fft-radix2.ts: the DFT over the row index of the n x w block at x whose rows
  ;; are already in bit-reversed order (butterflies combine whole rows), stages fused in pairs; with
  ;; power != 0, |out|² is added to the n·w f64 values at power (re² first, then im²).
  (func (export "rowStages") (param $x i32) (param $n i32) (param $w i32) (param $tw i32) (param $power i32)
    (local $half i32)
    (local.set $half (i32.const 1))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.gt_u (i32.shl (local.get $half) (i32.const 2)) (local.get $n)))
        (call $rowStagePair (local.get $x) (local.get $n) (local.get $w) (local.get $tw) (local.get $half))
        (local.set $half (i32.shl (local.get $half) (i32.const 2)))
        (br $pairs)))
    (if (i32.and (i32.lt_u (local.get $half) (local.get $n)) (i32.ne (local.get $power) (i32.const 0)))
      (then (call $rowStagePower (local.get $x) (local.get $w) (local.get $tw) (local.get $half) (local.get $power)))
      (else
        (if (i32.lt_u (local.get $half) (local.get $n))
          (then (call $rowStage (local.get $x) (local.get $n) (local.get $w) (local.get $tw) (local.get $half))))
        (if (i32.ne (local.get $power) (i32.const 0))
          (then (call $addPower (local.get $x) (i32.mul (local.get $n) (local.get $w)) (local.get $power))))))
  )

  ;; stages h and 2h in one pass over rows a = start + k, b = a + h, c = a + 2h, d = a + 3h
  (func $rowStagePair (param $x i32) (param $n i32) (param $w i32) (param $tw i32) (param $h i32)
    (local $rw i32) (local $step1 i32) (local $step2 i32) (local $start i32) (local $k i32)
    (local $ia i32) (local $ib i32) (local $ic i32) (local $id i32) (local $end i32)
    (local $w1r v128) (local $w1s v128) (local $w2r v128) (local $w2s v128)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $p v128) (local $q v128)
    (local $a1 v128) (local $b1 v128) (local $c1 v128) (local $d1 v128)
    (local.set $rw (i32.shl (local.get $w) (i32.const 4)))
    (local.set $step1 (i32.div_u (local.get $n) (i32.shl (local.get $h) (i32.const 1))))
    (local.set $step2 (i32.div_u (local.get $n) (i32.shl (local.get $h) (i32.const 2))))
    (block $grDone
      (loop $groups
        (br_if $grDone (i32.ge_u (local.get $start) (local.get $n)))
        (local.set $k (i32.const 0))
        (block $kDone
          (loop $ks
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $h)))
            (local.set $w1r (v128.load (i32.add (local.get $tw) (i32.shl (i32.mul (local.get $k) (local.get $step1)) (i32.const 5)))))
            (local.set $w1s (v128.load offset=16 (i32.add (local.get $tw) (i32.shl (i32.mul (local.get $k) (local.get $step1)) (i32.const 5)))))
            (local.set $w2r (v128.load (i32.add (local.get $tw) (i32.shl (i32.mul (local.get $k) (local.get $step2)) (i32.const 5)))))
            (local.set $w2s (v128.load offset=16 (i32.add (local.get $tw) (i32.shl (i32.mul (local.get $k) (local.get $step2)) (i32.const 5)))))
            (local.set $ia (i32.add (local.get $x) (i32.mul (local.get $rw) (i32.add (local.get $start) (local.get $k)))))
            (local.set $ib (i32.add (local.get $ia) (i32.mul (local.get $rw) (local.get $h))))
            (local.set $ic (i32.add (local.get $ib) (i32.mul (local.get $rw) (local.get $h))))
            (local.set $id (i32.add (local.get $ic) (i32.mul (local.get $rw) (local.get $h))))
            (local.set $end (i32.add (local.get $ia) (local.get $rw)))
            (block $cDone
              (loop $cols
                (br_if $cDone (i32.ge_u (local.get $ia) (local.get $end)))
                (local.set $a (v128.load (local.get $ia)))
                (local.set $b (v128.load (local.get $ib)))
                (local.set $c (v128.load (local.get $ic)))
                (local.set $d (v128.load (local.get $id)))
                ;; stage h: b·W1, d·W1
                (local.set $p (f64x2.add (f64x2.mul (local.get $b) (local.get $w1r))
                  (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b) (local.get $b)) (local.get $w1s))))
                (local.set $q (f64x2.add (f64x2.mul (local.get $d) (local.get $w1r))
                  (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $d) (local.get $d)) (local.get $w1s))))
                (local.set $a1 (f64x2.add (local.get $a) (local.get $p)))
                (local.set $b1 (f64x2.sub (local.get $a) (local.get $p)))
                (local.set $c1 (f64x2.add (local.get $c) (local.get $q)))
                (local.set $d1 (f64x2.sub (local.get $c) (local.get $q)))
                ;; stage 2h: c1·W2 and d1·(−j W2) = (t_i, −t_r) with t = d1·W2
                (local.set $p (f64x2.add (f64x2.mul (local.get $c1) (local.get $w2r))
                  (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $c1) (local.get $c1)) (local.get $w2s))))
                (local.set $q (f64x2.add (f64x2.mul (local.get $d1) (local.get $w2r))
                  (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $d1) (local.get $d1)) (local.get $w2s))))
                (local.set $q (f64x2.mul
                  (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $q) (local.get $q))
                  (v128.const f64x2 1 -1)))
                (v128.store (local.get $ia) (f64x2.add (local.get $a1) (local.get $p)))
                (v128.store (local.get $ic) (f64x2.sub (local.get $a1) (local.get $p)))
                (v128.store (local.get $ib) (f64x2.add (local.get $b1) (local.get $q)))
                (v128.store (local.get $id) (f64x2.sub (local.get $b1) (local.get $q)))
                (local.set $ia (i32.add (local.get $ia) (i32.const 16)))
                (local.set $ib (i32.add (local.get $ib) (i32.const 16)))
                (local.set $ic (i32.add (local.get $ic) (i32.const 16)))
                (local.set $id (i32.add (local.get $id) (i32.const 16)))
                (br $cols)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $ks)))
        (local.set $start (i32.add (local.get $start) (i32.shl (local.get $h) (i32.const 2))))
        (br $groups)))
  )

  ;; one radix-2 stage over whole rows: rows start + k and start + k + half, twiddle W_{2 half}^k
  (func $rowStage (param $x i32) (param $n i32) (param $w i32) (param $tw i32) (param $half i32)
    (local $rw i32) (local $step i32) (local $start i32) (local $k i32) (local $i i32) (local $j i32) (local $end i32)
    (local $wr v128) (local $ws v128) (local $a v128) (local $b v128) (local $p v128)
    (local.set $rw (i32.shl (local.get $w) (i32.const 4)))
    (local.set $step (i32.div_u (local.get $n) (i32.shl (local.get $half) (i32.const 1))))
    (block $grDone
      (loop $groups
        (br_if $grDone (i32.ge_u (local.get $start) (local.get $n)))
        (local.set $k (i32.const 0))
        (block $kDone
          (loop $ks
            (br_if $kDone (i32.ge_u (local.get $k) (local.get $half)))
            (local.set $wr (v128.load (i32.add (local.get $tw) (i32.shl (i32.mul (local.get $k) (local.get $step)) (i32.const 5)))))
            (local.set $ws (v128.load offset=16 (i32.add (local.get $tw) (i32.shl (i32.mul (local.get $k) (local.get $step)) (i32.const 5)))))
            (local.set $i (i32.add (local.get $x) (i32.mul (local.get $rw) (i32.add (local.get $start) (local.get $k)))))
            (local.set $j (i32.add (local.get $i) (i32.mul (local.get $rw) (local.get $half))))
            (local.set $end (i32.add (local.get $i) (local.get $rw)))
            (block $cDone
              (loop $cols
                (br_if $cDone (i32.ge_u (local.get $i) (local.get $end)))
                (local.set $b (v128.load (local.get $j)))
                (local.set $p (f64x2.add (f64x2.mul (local.get $b) (local.get $wr))
                  (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b) (local.get $b)) (local.get $ws))))
                (local.set $a (v128.load (local.get $i)))
                (v128.store (local.get $i) (f64x2.add (local.get $a) (local.get $p)))
                (v128.store (local.get $j) (f64x2.sub (local.get $a) (local.get $p)))
                (local.set $i (i32.add (local.get $i) (i32.const 16)))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $cols)))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $ks)))
        (local.set $start (i32.add (local.get $start) (i32.shl (local.get $half) (i32.const 1))))
        (br $groups)))
  )

  ;; the last radix-2 stage (half = n/2) that also adds |out|² to power (row k at power + 8·w·k)
  (func $rowStagePower (param $x i32) (param $w i32) (param $tw i32) (param $half i32) (param $power i32)
    (local $rw i32) (local $k i32) (local $i i32) (local $j i32) (local $end i32) (local $pi i32) (local $pj i32)
    (local $wr v128) (local $ws v128) (local $a v128) (local $b v128) (local $p v128) (local $u v128) (local $v v128)
    (local.set $rw (i32.shl (local.get $w) (i32.const 4)))
    (block $kDone
      (loop $ks
        (br_if $kDone (i32.ge_u (local.get $k) (local.get $half)))
        (local.set $wr (v128.load (i32.add (local.get $tw) (i32.shl (local.get $k) (i32.const 5)))))
        (local.set $ws (v128.load offset=16 (i32.add (local.get $tw) (i32.shl (local.get $k) (i32.const 5)))))
        (local.set $i (i32.add (local.get $x) (i32.mul (local.get $rw) (local.get $k))))
        (local.set $j (i32.add (local.get $i) (i32.mul (local.get $rw) (local.get $half))))
        (local.set $pi (i32.add (local.get $power) (i32.mul (i32.shl (local.get $w) (i32.const 3)) (local.get $k))))
        (local.set $pj (i32.add (local.get $power)
          (i32.mul (i32.shl (local.get $w) (i32.const 3)) (i32.add (local.get $k) (local.get $half)))))
        (local.set $end (i32.add (local.get $i) (local.get $rw)))
        (block $cDone
          (loop $cols
            (br_if $cDone (i32.ge_u (local.get $i) (local.get $end)))
            (local.set $b (v128.load (local.get $j)))
            (local.set $p (f64x2.add (f64x2.mul (local.get $b) (local.get $wr))
              (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $b) (local.get $b)) (local.get $ws))))
            (local.set $a (v128.load (local.get $i)))
            (local.set $u (f64x2.add (local.get $a) (local.get $p)))
            (local.set $v (f64x2.sub (local.get $a) (local.get $p)))
            (v128.store (local.get $i) (local.get $u))
            (v128.store (local.get $j) (local.get $v))
            (local.set $u (f64x2.mul (local.get $u) (local.get $u)))
            (local.set $v (f64x2.mul (local.get $v) (local.get $v)))
            (f64.store (local.get $pi) (f64.add (f64.add (f64.load (local.get $pi))
              (f64x2.extract_lane 0 (local.get $u))) (f64x2.extract_lane 1 (local.get $u))))
            (f64.store (local.get $pj) (f64.add (f64.add (f64.load (local.get $pj))
              (f64x2.extract_lane 0 (local.get $v))) (f64x2.extract_lane 1 (local.get $v))))
            (local.set $i (i32.add (local.get $i) (i32.const 16)))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (local.set $pi (i32.add (local.get $pi) (i32.const 8)))
            (local.set $pj (i32.add (local.get $pj) (i32.const 8)))
            (br $cols)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $ks)))
  )

  ;; power[k] += re² + im² for `count` complex values from x
  (func $addPower (param $x i32) (param $count i32) (param $power i32)
    (local $end i32) (local $u v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $count) (i32.const 4))))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $u (v128.load (local.get $x)))
        (local.set $u (f64x2.mul (local.get $u) (local.get $u)))
        (f64.store (local.get $power) (f64.add (f64.add (f64.load (local.get $power))
          (f64x2.extract_lane 0 (local.get $u))) (f64x2.extract_lane 1 (local.get $u))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $power (i32.add (local.get $power) (i32.const 8)))
        (br $each)))
  )

  ;; The row sums of one pass of tone-refine.ts (tensorSums) for three tones at once: for each of the
  ;; `rows` rows of m complex values from y, and tone c = 0, 1, 2 (split table at t + 32·(c·m + k)),
  ;; out + 96·row + 32·c gets (Σ_k y_k z_c[k], Σ_k k y_k z_c[k]).
  (func (export "toneRows3") (param $y i32) (param $rows i32) (param $m i32) (param $t i32) (param $out i32)
    (local $i i32) (local $yp i32) (local $tp i32) (local $end i32) (local $cs i32) (local $cs2 i32)
    (local $yv v128) (local $ys v128) (local $kv v128) (local $w v128)
    (local $a0 v128) (local $a1 v128) (local $b0 v128) (local $b1 v128) (local $c0 v128) (local $c1 v128)
    (local.set $cs (i32.shl (local.get $m) (i32.const 5)))
    (local.set $cs2 (i32.shl (local.get $m) (i32.const 6)))
    (local.set $yp (local.get $y))
    (block $done
      (loop $rowLoop
        (br_if $done (i32.ge_u (local.get $i) (local.get $rows)))
        (local.set $a0 (v128.const f64x2 0 0))
        (local.set $a1 (v128.const f64x2 0 0))
        (local.set $b0 (v128.const f64x2 0 0))
        (local.set $b1 (v128.const f64x2 0 0))
        (local.set $c0 (v128.const f64x2 0 0))
        (local.set $c1 (v128.const f64x2 0 0))
        (local.set $kv (v128.const f64x2 0 0))
        (local.set $tp (local.get $t))
        (local.set $end (i32.add (local.get $yp) (i32.shl (local.get $m) (i32.const 4))))
        (block $kDone
          (loop $ks
            (br_if $kDone (i32.ge_u (local.get $yp) (local.get $end)))
            (local.set $yv (v128.load (local.get $yp)))
            (local.set $ys (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $yv) (local.get $yv)))
            (local.set $w (f64x2.add
              (f64x2.mul (local.get $yv) (v128.load (local.get $tp)))
              (f64x2.mul (local.get $ys) (v128.load offset=16 (local.get $tp)))))
            (local.set $a0 (f64x2.add (local.get $a0) (local.get $w)))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $kv) (local.get $w))))
            (local.set $w (f64x2.add
              (f64x2.mul (local.get $yv) (v128.load (i32.add (local.get $tp) (local.get $cs))))
              (f64x2.mul (local.get $ys) (v128.load offset=16 (i32.add (local.get $tp) (local.get $cs))))))
            (local.set $b0 (f64x2.add (local.get $b0) (local.get $w)))
            (local.set $b1 (f64x2.add (local.get $b1) (f64x2.mul (local.get $kv) (local.get $w))))
            (local.set $w (f64x2.add
              (f64x2.mul (local.get $yv) (v128.load (i32.add (local.get $tp) (local.get $cs2))))
              (f64x2.mul (local.get $ys) (v128.load offset=16 (i32.add (local.get $tp) (local.get $cs2))))))
            (local.set $c0 (f64x2.add (local.get $c0) (local.get $w)))
            (local.set $c1 (f64x2.add (local.get $c1) (f64x2.mul (local.get $kv) (local.get $w))))
            (local.set $kv (f64x2.add (local.get $kv) (v128.const f64x2 1 1)))
            (local.set $yp (i32.add (local.get $yp) (i32.const 16)))
            (local.set $tp (i32.add (local.get $tp) (i32.const 32)))
            (br $ks)))
        (v128.store offset=0 (local.get $out) (local.get $a0))
        (v128.store offset=16 (local.get $out) (local.get $a1))
        (v128.store offset=32 (local.get $out) (local.get $b0))
        (v128.store offset=48 (local.get $out) (local.get $b1))
        (v128.store offset=64 (local.get $out) (local.get $c0))
        (v128.store offset=80 (local.get $out) (local.get $c1))
        (local.set $out (i32.add (local.get $out) (i32.const 96)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rowLoop)))
  )

  ;; Row copy: row q (rowBytes bytes) of src goes to row map[q] (i32 row indices) of dst, whose rows are
  ;; dstRowBytes apart.
  (func (export "copyRows") (param $src i32) (param $rowBytes i32) (param $dst i32) (param $dstRowBytes i32) (param $rows i32) (param $map i32)
    (local $q i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $q) (local.get $rows)))
        (memory.copy
          (i32.add (local.get $dst)
            (i32.mul (i32.load (i32.add (local.get $map) (i32.shl (local.get $q) (i32.const 2)))) (local.get $dstRowBytes)))
          (i32.add (local.get $src) (i32.mul (local.get $q) (local.get $rowBytes)))
          (local.get $rowBytes))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $each)))
  )

  ;; dst[i] = √src[i] for n f64 values (IEEE square root: the same as Math.sqrt).
  (func (export "sqrtInto") (param $src i32) (param $dst i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $src) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
    (block $pairsDone
      (loop $pairs
        (br_if $pairsDone (i32.ge_u (local.get $src) (local.get $end)))
        (v128.store (local.get $dst) (f64x2.sqrt (v128.load (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $pairs)))
    (if (i32.and (local.get $n) (i32.const 1))
      (then (f64.store (local.get $dst) (f64.sqrt (f64.load (local.get $src))))))
  )

  ;; The bounds of the bounded CLEAN (fft-init.ts RangeDopplerMap.largestCell) over the nr x nd cells:
  ;; s = Σ_j absB[j·nr + kr] absC[j·nd + kd] (j < J, in order), ub[cell] = (√P0 + s)²; returns the
  ;; largest (√P0 − s)² over the cells where √P0 − s > 0 (0 if none).
  (func (export "cleanBounds") (param $rootP i32) (param $absB i32) (param $absC i32) (param $J i32) (param $nr i32) (param $nd i32) (param $ub i32) (result f64)
    (local $kr i32) (local $kd i32) (local $j i32) (local $sj f64) (local $r f64) (local $lo f64) (local $t f64) (local $floor f64)
    (block $krDone
      (loop $krs
        (br_if $krDone (i32.ge_u (local.get $kr) (local.get $nr)))
        (local.set $kd (i32.const 0))
        (block $kdDone
          (loop $kds
            (br_if $kdDone (i32.ge_u (local.get $kd) (local.get $nd)))
            (local.set $sj (f64.const 0))
            (local.set $j (i32.const 0))
            (block $jDone
              (loop $js
                (br_if $jDone (i32.ge_u (local.get $j) (local.get $J)))
                (local.set $sj (f64.add (local.get $sj) (f64.mul
                  (f64.load (i32.add (local.get $absB)
                    (i32.shl (i32.add (i32.mul (local.get $j) (local.get $nr)) (local.get $kr)) (i32.const 3))))
                  (f64.load (i32.add (local.get $absC)
                    (i32.shl (i32.add (i32.mul (local.get $j) (local.get $nd)) (local.get $kd)) (i32.const 3)))))))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $js)))
            (local.set $r (f64.load (local.get $rootP)))
            (local.set $lo (f64.sub (local.get $r) (local.get $sj)))
            (if (f64.gt (local.get $lo) (f64.const 0))
              (then
                (if (f64.gt (f64.mul (local.get $lo) (local.get $lo)) (local.get $floor))
                  (then (local.set $floor (f64.mul (local.get $lo) (local.get $lo)))))))
            (local.set $t (f64.add (local.get $r) (local.get $sj)))
            (f64.store (local.get $ub) (f64.mul (local.get $t) (local.get $t)))
            (local.set $rootP (i32.add (local.get $rootP) (i32.const 8)))
            (local.set $ub (i32.add (local.get $ub) (i32.const 8)))
            (local.set $kd (i32.add (local.get $kd) (i32.const 1)))
            (br $kds)))
        (local.set $kr (i32.add (local.get $kr) (i32.const 1)))
        (br $krs)))
    (local.get $floor)
  )

  ;; The cells (ascending) whose bound can reach the largest lower bound: ub[cell]·slack >= reach;
  ;; their indices (i32) go to out, the count is returned.
  (func (export "cleanCandidates") (param $ub i32) (param $cells i32) (param $slack f64) (param $reach f64) (param $out i32) (result i32)
    (local $cell i32) (local $count i32)
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $cell) (local.get $cells)))
        (if (f64.ge (f64.mul (f64.load (local.get $ub)) (local.get $slack)) (local.get $reach))
          (then
            (i32.store (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))) (local.get $cell))
            (local.set $count (i32.add (local.get $count) (i32.const 1)))))
        (local.set $ub (i32.add (local.get $ub) (i32.const 8)))
        (local.set $cell (i32.add (local.get $cell) (i32.const 1)))
        (br $each)))
    (local.get $count)
  )

  ;; The targets' echoes of echo-model.ts (addTargetEchoes on a zero tensor): row q of out (m complex
  ;; values) gets, at symbol k, ((+0 + t_0) + t_1) + ... + t_{U−1} with t_u = e[q, u] f[k, u], f at
  ;; f + 16·(k·U + u) (interleaved), e in split form at e + 32·(q·U + u).
  (func (export "sumRows") (param $out i32) (param $rows i32) (param $m i32) (param $U i32) (param $e i32) (param $f i32)
    (local $q i32) (local $k i32) (local $u i32) (local $fp i32) (local $ep i32) (local $end i32)
    (local $acc v128) (local $fv v128)
    (local $e0r v128) (local $e0s v128) (local $e1r v128) (local $e1s v128) (local $e2r v128) (local $e2s v128)
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $q) (local.get $rows)))
        (local.set $ep (i32.add (local.get $e) (i32.shl (i32.mul (local.get $q) (local.get $U)) (i32.const 5))))
        (local.set $fp (local.get $f))
        (local.set $end (i32.add (local.get $out) (i32.shl (local.get $m) (i32.const 4))))
        (if (i32.eq (local.get $U) (i32.const 3))
          (then
            (local.set $e0r (v128.load (local.get $ep)))
            (local.set $e0s (v128.load offset=16 (local.get $ep)))
            (local.set $e1r (v128.load offset=32 (local.get $ep)))
            (local.set $e1s (v128.load offset=48 (local.get $ep)))
            (local.set $e2r (v128.load offset=64 (local.get $ep)))
            (local.set $e2s (v128.load offset=80 (local.get $ep)))
            (block $d3
              (loop $k3
                (br_if $d3 (i32.ge_u (local.get $out) (local.get $end)))
                (local.set $fv (v128.load (local.get $fp)))
                (local.set $acc (f64x2.add (v128.const f64x2 0 0) (f64x2.add
                  (f64x2.mul (local.get $fv) (local.get $e0r))
                  (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $fv) (local.get $fv)) (local.get $e0s)))))
                (local.set $fv (v128.load offset=16 (local.get $fp)))
                (local.set $acc (f64x2.add (local.get $acc) (f64x2.add
                  (f64x2.mul (local.get $fv) (local.get $e1r))
                  (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $fv) (local.get $fv)) (local.get $e1s)))))
                (local.set $fv (v128.load offset=32 (local.get $fp)))
                (local.set $acc (f64x2.add (local.get $acc) (f64x2.add
                  (f64x2.mul (local.get $fv) (local.get $e2r))
                  (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $fv) (local.get $fv)) (local.get $e2s)))))
                (v128.store (local.get $out) (local.get $acc))
                (local.set $out (i32.add (local.get $out) (i32.const 16)))
                (local.set $fp (i32.add (local.get $fp) (i32.const 48)))
                (br $k3))))
          (else
            (block $dk
              (loop $ks
                (br_if $dk (i32.ge_u (local.get $out) (local.get $end)))
                (local.set $acc (v128.const f64x2 0 0))
                (local.set $u (i32.const 0))
                (block $du
                  (loop $us
                    (br_if $du (i32.ge_u (local.get $u) (local.get $U)))
                    (local.set $fv (v128.load (i32.add (local.get $fp) (i32.shl (local.get $u) (i32.const 4)))))
                    (local.set $acc (f64x2.add (local.get $acc) (f64x2.add
                      (f64x2.mul (local.get $fv) (v128.load (i32.add (local.get $ep) (i32.shl (local.get $u) (i32.const 5)))))
                      (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $fv) (local.get $fv))
                        (v128.load offset=16 (i32.add (local.get $ep) (i32.shl (local.get $u) (i32.const 5))))))))
                    (local.set $u (i32.add (local.get $u) (i32.const 1)))
                    (br $us)))
                (v128.store (local.get $out) (local.get $acc))
                (local.set $out (i32.add (local.get $out) (i32.const 16)))
                (local.set $fp (i32.add (local.get $fp) (i32.shl (local.get $U) (i32.const 4))))
                (br $ks)))))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $rowLoop)))
  )

  ;; pure-rand's xoroshiro128+ next() on the global state: a signed 32-bit integer (ziggurat.ts next32)
  (func $next32 (result i32)
    (local $s0 i64) (local $s1 i64) (local $a i64)
    (local.set $s0 (global.get $g0))
    (local.set $s1 (global.get $g1))
    (local.set $a (i64.xor (local.get $s0) (local.get $s1)))
    (global.set $g0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a))
      (i64.shl (local.get $a) (i64.const 16))))
    (global.set $g1 (i64.rotl (local.get $a) (i64.const 37)))
    (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1)))
  )

    ;; uniform in (0, 1) from one 32-bit draw (ziggurat.ts uni)
  (func $uni (result f64)
    (f64.mul (f64.add (f64.convert_i32_u (call $next32)) (f64.const 0.5)) (f64.const 2.3283064365386963e-10))
  )

  ;; lhs < Math.exp(y), the wedge test of the ziggurat's slow path, decided without Math.exp almost
  ;; always: a = 2^k·P(r), y = k ln2 + r, |r| <= ln2/2 + 1e-9, P the Taylor polynomial of degree 9 (by
  ;; Estrin's scheme: a short dependency chain), is within 1e-9 of exp(y) relative for −20 <= y <= 0
  ;; (remainder (ln2/2)^10/10!·e^(ln2/2) < 1.1e-11, the rounding of 20 operations < 1e-14). So lhs below
  ;; a·(1 − 1e-7) is below Math.exp(y) and lhs above a·(1 + 1e-7) is not; only in between (about once
  ;; in 10^5 wedge tests, measured: lhs lies in a thin layer around the curve) or for y outside [−20, 0]
  ;; is Math.exp itself asked. The same decision as the
  ;; scalar code's, always.
  (func $belowExp (export "belowExp") (param $lhs f64) (param $y f64) (result i32)
    (local $k f64) (local $r f64) (local $r2 f64) (local $r4 f64) (local $a f64)
    (if (i32.eqz (i32.and (f64.ge (local.get $y) (f64.const -20)) (f64.le (local.get $y) (f64.const 0))))
      (then (return (f64.lt (local.get $lhs) (call $exp (local.get $y))))))
    (local.set $k (f64.nearest (f64.mul (local.get $y) (f64.const 1.4426950408889634))))
    ;; fdlibm's split of ln 2: k·ln2Hi is exact
    (local.set $r (f64.sub (f64.sub (local.get $y) (f64.mul (local.get $k) (f64.const 6.93147180369123816490e-01)))
      (f64.mul (local.get $k) (f64.const 1.90821492927058770002e-10))))
    (local.set $r2 (f64.mul (local.get $r) (local.get $r)))
    (local.set $r4 (f64.mul (local.get $r2) (local.get $r2)))
    (local.set $a (f64.mul
      (f64.add (f64.add (f64.add (f64.const 1.0) (f64.mul (local.get $r) (f64.const 1.0))) (f64.mul (local.get $r2) (f64.add (f64.const 0.5) (f64.mul (local.get $r) (f64.const 0.16666666666666666)))))
        (f64.mul (local.get $r4) (f64.add (f64.add (f64.add (f64.const 0.041666666666666664) (f64.mul (local.get $r) (f64.const 0.008333333333333333))) (f64.mul (local.get $r2) (f64.add (f64.const 0.001388888888888889) (f64.mul (local.get $r) (f64.const 0.0001984126984126984)))))
          (f64.mul (local.get $r4) (f64.add (f64.const 2.48015873015873e-05) (f64.mul (local.get $r) (f64.const 2.7557319223985893e-06)))))))
      (f64.reinterpret_i64 (i64.shl (i64.add (i64.trunc_f64_s (local.get $k)) (i64.const 1023)) (i64.const 52)))))
    (if (f64.lt (local.get $lhs) (f64.mul (local.get $a) (f64.const 0.9999999))) (then (return (i32.const 1))))
    (if (f64.gt (local.get $lhs) (f64.mul (local.get $a) (f64.const 1.0000001))) (then (return (i32.const 0))))
    (f64.lt (local.get $lhs) (call $exp (local.get $y)))
  )

  ;; The wedge test of layer iz, lhs < Math.exp(−0.5·x·x), as slowNormal asks it: first the two lines of
  ;; ziggurat.ts `wedge` (after the 128 fn values: per layer l0, l1, u0, u1 with l0 + l1|x| <= exp(−x²/2)
  ;; <= u0 + u1|x| over the layer's wedge, 1e-12 to spare): below the lower line is below, above the upper
  ;; one is not; in between (a thin band along the curve) belowExp decides, as before. The same decision.
  (func $wedgeBelow (export "wedgeBelow") (param $lhs f64) (param $x f64) (param $iz i32) (param $fn i32) (result i32)
    (local $ax f64) (local $w i32)
    (local.set $ax (f64.abs (local.get $x)))
    (local.set $w (i32.add (i32.add (local.get $fn) (i32.const 1024)) (i32.shl (local.get $iz) (i32.const 5))))
    (if (f64.lt (local.get $lhs) (f64.add (f64.load (local.get $w)) (f64.mul (f64.load offset=8 (local.get $w)) (local.get $ax))))
      (then (return (i32.const 1))))
    (if (f64.gt (local.get $lhs) (f64.add (f64.load offset=16 (local.get $w)) (f64.mul (f64.load offset=24 (local.get $w)) (local.get $ax))))
      (then (return (i32.const 0))))
    (call $belowExp (local.get $lhs) (f64.mul (f64.mul (f64.const -0.5) (local.get $x)) (local.get $x)))
  )

  ;; ziggurat.ts slowNormal: the base strip's tail (iz = 0) and the wedges, on the global state
  (func $slowNormal (param $hz i32) (param $iz i32) (param $kn i32) (param $wn i32) (param $fn i32) (result f64)
    (local $x f64) (local $t f64) (local $y f64)
    (loop $again
      (local.set $x (f64.mul (f64.convert_i32_s (local.get $hz))
        (f64.load (i32.add (local.get $wn) (i32.shl (local.get $iz) (i32.const 3))))))
      (if (i32.eqz (local.get $iz))
        (then
          (loop $tail
            (local.set $t (f64.div (f64.neg (call $log (call $uni))) (f64.const 3.442619855899)))
            (local.set $y (f64.neg (call $log (call $uni))))
            (br_if $tail (f64.lt (f64.add (local.get $y) (local.get $y)) (f64.mul (local.get $t) (local.get $t)))))
          (if (i32.gt_s (local.get $hz) (i32.const 0))
            (then (return (f64.add (f64.const 3.442619855899) (local.get $t)))))
          (return (f64.sub (f64.const -3.442619855899) (local.get $t)))))
      (if (call $wedgeBelow
            (f64.add
              (f64.load (i32.add (local.get $fn) (i32.shl (local.get $iz) (i32.const 3))))
              (f64.mul (call $uni)
                (f64.sub
                  (f64.load (i32.add (local.get $fn) (i32.shl (i32.sub (local.get $iz) (i32.const 1)) (i32.const 3))))
                  (f64.load (i32.add (local.get $fn) (i32.shl (local.get $iz) (i32.const 3)))))))
            (local.get $x) (local.get $iz) (local.get $fn))
        (then (return (local.get $x))))
      (local.set $hz (call $next32))
      (local.set $iz (i32.and (i32.shr_u (call $next32) (i32.const 1)) (i32.const 127)))
      (if (f64.lt (f64.abs (f64.convert_i32_s (local.get $hz)))
            (f64.convert_i32_u (i32.load (i32.add (local.get $kn) (i32.shl (local.get $iz) (i32.const 2))))))
        (then (return (f64.mul (f64.convert_i32_s (local.get $hz))
          (f64.load (i32.add (local.get $wn) (i32.shl (local.get $iz) (i32.const 3))))))))
      (br $again))
    (unreachable)
  )

  ;; ziggurat.ts addComplexNormalZiggurat: out[k] += sd·x_k for the `total` f64 values from out, x_k the
  ;; ziggurat's standard normals on the xoroshiro128+ state at `state` (pure-rand's four i32 s00, s01, s10,
  ;; s11: s0 and s1 as little-endian i64), advanced in place. zt: per layer (kn as f64, wn), 16 bytes;
  ;; kn (u32), wn, fn (f64): the tables of the slow path. 128 layers.
  ;;
  ;; The generator runs on i64 (the same bits as pure-rand's 32-bit halves). Per group of four normals
  ;; one draw gives the four layers (the top 7 bits of each byte), then each normal takes one draw; the
  ;; four normals of a group are written out as four copies of one block (j = 0..3, only the layer's
  ;; byte differs), and echoRows3 below has the same four blocks. |h| < kn is Math.abs(hz) < kn[iz]:
  ;; both sides exact in f64.
  (func (export "addNormals") (param $out i32) (param $total i32) (param $sd f64) (param $state i32)
      (param $zt i32) (param $kn i32) (param $wn i32) (param $fn i32)
    (local $s0 i64) (local $s1 i64) (local $a i64) (local $layers i32) (local $hz i32) (local $iz i32)
    (local $h f64) (local $x0 f64) (local $x1 f64) (local $x2 f64) (local $x3 f64) (local $sdv v128)
    (local $end i32) (local $end4 i32)
    (local.set $s0 (i64.load (local.get $state)))
    (local.set $s1 (i64.load offset=8 (local.get $state)))
    (local.set $sdv (f64x2.splat (local.get $sd)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $total) (i32.const 3))))
    (local.set $end4 (i32.add (local.get $out)
      (i32.shl (i32.and (local.get $total) (i32.const -4)) (i32.const 3))))
    ;; whole groups of four
    (block $groupsDone
      (loop $groups
        (br_if $groupsDone (i32.ge_u (local.get $out) (local.get $end4)))
        (local.set $layers (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))))
        (local.set $a (i64.xor (local.get $s0) (local.get $s1)))
        (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a))
          (i64.shl (local.get $a) (i64.const 16))))
        (local.set $s1 (i64.rotl (local.get $a) (i64.const 37)))
        (local.set $iz (i32.and (i32.shl (local.get $layers) (i32.const 3)) (i32.const 2032)))
        (local.set $hz (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))))
        (local.set $a (i64.xor (local.get $s0) (local.get $s1)))
        (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a))
          (i64.shl (local.get $a) (i64.const 16))))
        (local.set $s1 (i64.rotl (local.get $a) (i64.const 37)))
        (local.set $h (f64.convert_i32_s (local.get $hz)))
        (local.set $x0
          (if (result f64) (f64.lt (f64.abs (local.get $h)) (f64.load (i32.add (local.get $zt) (local.get $iz))))
            (then (f64.mul (local.get $h) (f64.load offset=8 (i32.add (local.get $zt) (local.get $iz)))))
            (else
              (call $slow64 (local.get $hz) (i32.shr_u (local.get $iz) (i32.const 4))
                (local.get $kn) (local.get $wn) (local.get $fn) (local.get $s0) (local.get $s1))
              (local.set $s0 (global.get $g0))
              (local.set $s1 (global.get $g1)))))
        (local.set $iz (i32.and (i32.shr_u (local.get $layers) (i32.const 5)) (i32.const 2032)))
        (local.set $hz (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))))
        (local.set $a (i64.xor (local.get $s0) (local.get $s1)))
        (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a))
          (i64.shl (local.get $a) (i64.const 16))))
        (local.set $s1 (i64.rotl (local.get $a) (i64.const 37)))
        (local.set $h (f64.convert_i32_s (local.get $hz)))
        (local.set $x1
          (if (result f64) (f64.lt (f64.abs (local.get $h)) (f64.load (i32.add (local.get $zt) (local.get $iz))))
            (then (f64.mul (local.get $h) (f64.load offset=8 (i32.add (local.get $zt) (local.get $iz)))))
            (else
              (call $slow64 (local.get $hz) (i32.shr_u (local.get $iz) (i32.const 4))
                (local.get $kn) (local.get $wn) (local.get $fn) (local.get $s0) (local.get $s1))
              (local.set $s0 (global.get $g0))
              (local.set $s1 (global.get $g1)))))
        (local.set $iz (i32.and (i32.shr_u (local.get $layers) (i32.const 13)) (i32.const 2032)))
        (local.set $hz (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))))
        (local.set $a (i64.xor (local.get $s0) (local.get $s1)))
        (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a))
          (i64.shl (local.get $a) (i64.const 16))))
        (local.set $s1 (i64.rotl (local.get $a) (i64.const 37)))
        (local.set $h (f64.convert_i32_s (local.get $hz)))
        (local.set $x2
          (if (result f64) (f64.lt (f64.abs (local.get $h)) (f64.load (i32.add (local.get $zt) (local.get $iz))))
            (then (f64.mul (local.get $h) (f64.load offset=8 (i32.add (local.get $zt) (local.get $iz)))))
            (else
              (call $slow64 (local.get $hz) (i32.shr_u (local.get $iz) (i32.const 4))
                (local.get $kn) (local.get $wn) (local.get $fn) (local.get $s0) (local.get $s1))
              (local.set $s0 (global.get $g0))
              (local.set $s1 (global.get $g1)))))
        (local.set $iz (i32.and (i32.shr_u (local.get $layers) (i32.const 21)) (i32.const 2032)))
        (local.set $hz (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))))
        (local.set $a (i64.xor (local.get $s0) (local.get $s1)))
        (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a))
          (i64.shl (local.get $a) (i64.const 16))))
        (local.set $s1 (i64.rotl (local.get $a) (i64.const 37)))
        (local.set $h (f64.convert_i32_s (local.get $hz)))
        (local.set $x3
          (if (result f64) (f64.lt (f64.abs (local.get $h)) (f64.load (i32.add (local.get $zt) (local.get $iz))))
            (then (f64.mul (local.get $h) (f64.load offset=8 (i32.add (local.get $zt) (local.get $iz)))))
            (else
              (call $slow64 (local.get $hz) (i32.shr_u (local.get $iz) (i32.const 4))
                (local.get $kn) (local.get $wn) (local.get $fn) (local.get $s0) (local.get $s1))
              (local.set $s0 (global.get $g0))
              (local.set $s1 (global.get $g1)))))
        (v128.store (local.get $out) (f64x2.add (v128.load (local.get $out)) (f64x2.mul (local.get $sdv) (f64x2.replace_lane 1 (f64x2.splat (local.get $x0)) (local.get $x1)))))
        (v128.store offset=16 (local.get $out)
          (f64x2.add (v128.load offset=16 (local.get $out)) (f64x2.mul (local.get $sdv) (f64x2.replace_lane 1 (f64x2.splat (local.get $x2)) (local.get $x3)))))
        (local.set $out (i32.add (local.get $out) (i32.const 32)))
        (br $groups)))
    ;; the last one to three: one layer draw, then as many normals
    (if (i32.lt_u (local.get $out) (local.get $end))
      (then
        (local.set $layers (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))))
        (local.set $a (i64.xor (local.get $s0) (local.get $s1)))
        (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a))
          (i64.shl (local.get $a) (i64.const 16))))
        (local.set $s1 (i64.rotl (local.get $a) (i64.const 37)))
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $out) (local.get $end)))
            (local.set $iz (i32.and (i32.shl (local.get $layers) (i32.const 3)) (i32.const 2032)))
            (local.set $hz (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))))
            (local.set $a (i64.xor (local.get $s0) (local.get $s1)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a))
              (i64.shl (local.get $a) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $a) (i64.const 37)))
            (local.set $h (f64.convert_i32_s (local.get $hz)))
            (local.set $x0
              (if (result f64) (f64.lt (f64.abs (local.get $h)) (f64.load (i32.add (local.get $zt) (local.get $iz))))
                (then (f64.mul (local.get $h) (f64.load offset=8 (i32.add (local.get $zt) (local.get $iz)))))
                (else
                  (call $slow64 (local.get $hz) (i32.shr_u (local.get $iz) (i32.const 4))
                    (local.get $kn) (local.get $wn) (local.get $fn) (local.get $s0) (local.get $s1))
                  (local.set $s0 (global.get $g0))
                  (local.set $s1 (global.get $g1)))))
            (f64.store (local.get $out)
              (f64.add (f64.load (local.get $out)) (f64.mul (local.get $sd) (local.get $x0))))
            (local.set $layers (i32.shr_u (local.get $layers) (i32.const 8)))
            (local.set $out (i32.add (local.get $out) (i32.const 8)))
            (br $tail)))))
    (i64.store (local.get $state) (local.get $s0))
    (i64.store offset=8 (local.get $state) (local.get $s1))
  )

  ;; sumRows for three targets and addNormals on its result in one pass (echo-model.ts synthesizeEcho
  ;; with U = 3 and m even): row q of out (m complex values) gets at symbol k ((+0 + t_0) + t_1) + t_2 +
  ;; sd·(x, x'), t_u = e[q, u] f[k, u] as in sumRows, (x, x') the next two of addNormals' normals (a
  ;; group of four normals is two symbols, so with m even every row starts a group and the stream is
  ;; addNormals' own). The same numbers as the two kernels in turn, in one pass over the tensor.
  (func (export "echoRows3") (param $out i32) (param $rows i32) (param $m i32) (param $e i32) (param $f i32)
      (param $sd f64) (param $state i32) (param $zt i32) (param $kn i32) (param $wn i32) (param $fn i32)
    (local $s0 i64) (local $s1 i64) (local $a i64) (local $layers i32) (local $hz i32) (local $iz i32)
    (local $h f64) (local $x0 f64) (local $x1 f64) (local $x2 f64) (local $x3 f64) (local $sdv v128)
    (local $q i32) (local $fp i32) (local $end i32) (local $acc v128) (local $fv v128)
    (local $e0r v128) (local $e0s v128) (local $e1r v128) (local $e1s v128) (local $e2r v128) (local $e2s v128)
    (local.set $s0 (i64.load (local.get $state)))
    (local.set $s1 (i64.load offset=8 (local.get $state)))
    (local.set $sdv (f64x2.splat (local.get $sd)))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $q) (local.get $rows)))
        (local.set $e0r (v128.load (local.get $e)))
        (local.set $e0s (v128.load offset=16 (local.get $e)))
        (local.set $e1r (v128.load offset=32 (local.get $e)))
        (local.set $e1s (v128.load offset=48 (local.get $e)))
        (local.set $e2r (v128.load offset=64 (local.get $e)))
        (local.set $e2s (v128.load offset=80 (local.get $e)))
        (local.set $fp (local.get $f))
        (local.set $end (i32.add (local.get $out) (i32.shl (local.get $m) (i32.const 4))))
        (block $pairsDone
          (loop $pairs
            (br_if $pairsDone (i32.ge_u (local.get $out) (local.get $end)))
            (local.set $layers (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))))
            (local.set $a (i64.xor (local.get $s0) (local.get $s1)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a))
              (i64.shl (local.get $a) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $a) (i64.const 37)))
            (local.set $iz (i32.and (i32.shl (local.get $layers) (i32.const 3)) (i32.const 2032)))
            (local.set $hz (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))))
            (local.set $a (i64.xor (local.get $s0) (local.get $s1)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a))
              (i64.shl (local.get $a) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $a) (i64.const 37)))
            (local.set $h (f64.convert_i32_s (local.get $hz)))
            (local.set $x0
              (if (result f64) (f64.lt (f64.abs (local.get $h)) (f64.load (i32.add (local.get $zt) (local.get $iz))))
                (then (f64.mul (local.get $h) (f64.load offset=8 (i32.add (local.get $zt) (local.get $iz)))))
                (else
                  (call $slow64 (local.get $hz) (i32.shr_u (local.get $iz) (i32.const 4))
                    (local.get $kn) (local.get $wn) (local.get $fn) (local.get $s0) (local.get $s1))
                  (local.set $s0 (global.get $g0))
                  (local.set $s1 (global.get $g1)))))
            (local.set $iz (i32.and (i32.shr_u (local.get $layers) (i32.const 5)) (i32.const 2032)))
            (local.set $hz (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))))
            (local.set $a (i64.xor (local.get $s0) (local.get $s1)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a))
              (i64.shl (local.get $a) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $a) (i64.const 37)))
            (local.set $h (f64.convert_i32_s (local.get $hz)))
            (local.set $x1
              (if (result f64) (f64.lt (f64.abs (local.get $h)) (f64.load (i32.add (local.get $zt) (local.get $iz))))
                (then (f64.mul (local.get $h) (f64.load offset=8 (i32.add (local.get $zt) (local.get $iz)))))
                (else
                  (call $slow64 (local.get $hz) (i32.shr_u (local.get $iz) (i32.const 4))
                    (local.get $kn) (local.get $wn) (local.get $fn) (local.get $s0) (local.get $s1))
                  (local.set $s0 (global.get $g0))
                  (local.set $s1 (global.get $g1)))))
            (local.set $iz (i32.and (i32.shr_u (local.get $layers) (i32.const 13)) (i32.const 2032)))
            (local.set $hz (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))))
            (local.set $a (i64.xor (local.get $s0) (local.get $s1)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a))
              (i64.shl (local.get $a) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $a) (i64.const 37)))
            (local.set $h (f64.convert_i32_s (local.get $hz)))
            (local.set $x2
              (if (result f64) (f64.lt (f64.abs (local.get $h)) (f64.load (i32.add (local.get $zt) (local.get $iz))))
                (then (f64.mul (local.get $h) (f64.load offset=8 (i32.add (local.get $zt) (local.get $iz)))))
                (else
                  (call $slow64 (local.get $hz) (i32.shr_u (local.get $iz) (i32.const 4))
                    (local.get $kn) (local.get $wn) (local.get $fn) (local.get $s0) (local.get $s1))
                  (local.set $s0 (global.get $g0))
                  (local.set $s1 (global.get $g1)))))
            (local.set $iz (i32.and (i32.shr_u (local.get $layers) (i32.const 21)) (i32.const 2032)))
            (local.set $hz (i32.wrap_i64 (i64.add (local.get $s0) (local.get $s1))))
            (local.set $a (i64.xor (local.get $s0) (local.get $s1)))
            (local.set $s0 (i64.xor (i64.xor (i64.rotl (local.get $s0) (i64.const 24)) (local.get $a))
              (i64.shl (local.get $a) (i64.const 16))))
            (local.set $s1 (i64.rotl (local.get $a) (i64.const 37)))
            (local.set $h (f64.convert_i32_s (local.get $hz)))
            (local.set $x3
              (if (result f64) (f64.lt (f64.abs (local.get $h)) (f64.load (i32.add (local.get $zt) (local.get $iz))))
                (then (f64.mul (local.get $h) (f64.load offset=8 (i32.add (local.get $zt) (local.get $iz)))))
                (else
                  (call $slow64 (local.get $hz) (i32.shr_u (local.get $iz) (i32.const 4))
                    (local.get $kn) (local.get $wn) (local.get $fn) (local.get $s0) (local.get $s1))
                  (local.set $s0 (global.get $g0))
                  (local.set $s1 (global.get $g1)))))
            (local.set $fv (v128.load offset=0 (local.get $fp)))
            (local.set $acc (f64x2.add (v128.const f64x2 0 0) (f64x2.add
              (f64x2.mul (local.get $fv) (local.get $e0r)) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $fv) (local.get $fv)) (local.get $e0s)))))
            (local.set $fv (v128.load offset=16 (local.get $fp)))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.add
              (f64x2.mul (local.get $fv) (local.get $e1r)) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $fv) (local.get $fv)) (local.get $e1s)))))
            (local.set $fv (v128.load offset=32 (local.get $fp)))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.add
              (f64x2.mul (local.get $fv) (local.get $e2r)) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $fv) (local.get $fv)) (local.get $e2s)))))
            (v128.store (local.get $out) (f64x2.add (local.get $acc) (f64x2.mul (local.get $sdv) (f64x2.replace_lane 1 (f64x2.splat (local.get $x0)) (local.get $x1)))))
            (local.set $fv (v128.load offset=48 (local.get $fp)))
            (local.set $acc (f64x2.add (v128.const f64x2 0 0) (f64x2.add
              (f64x2.mul (local.get $fv) (local.get $e0r)) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $fv) (local.get $fv)) (local.get $e0s)))))
            (local.set $fv (v128.load offset=64 (local.get $fp)))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.add
              (f64x2.mul (local.get $fv) (local.get $e1r)) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $fv) (local.get $fv)) (local.get $e1s)))))
            (local.set $fv (v128.load offset=80 (local.get $fp)))
            (local.set $acc (f64x2.add (local.get $acc) (f64x2.add
              (f64x2.mul (local.get $fv) (local.get $e2r)) (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $fv) (local.get $fv)) (local.get $e2s)))))
            (v128.store offset=16 (local.get $out) (f64x2.add (local.get $acc) (f64x2.mul (local.get $sdv) (f64x2.replace_lane 1 (f64x2.splat (local.get $x2)) (local.get $x3)))))
            (local.set $out (i32.add (local.get $out) (i32.const 32)))
            (local.set $fp (i32.add (local.get $fp) (i32.const 96)))
            (br $pairs)))
        (local.set $e (i32.add (local.get $e) (i32.const 96)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $rowLoop)))
    (i64.store (local.get $state) (local.get $s0))
    (i64.store offset=8 (local.get $state) (local.get $s1))
  )

  ;; slowNormal on the state (s0, s1); the state it leaves is in the globals g0, g1
  (func $slow64 (param $hz i32) (param $iz i32) (param $kn i32) (param $wn i32) (param $fn i32)
      (param $s0 i64) (param $s1 i64) (result f64)
    (global.set $g0 (local.get $s0))
    (global.set $g1 (local.get $s1))
    (call $slowNormal (local.get $hz) (local.get $iz) (local.get $kn) (local.get $wn) (local.get $fn))
  )

  ;; The residual pass of lm-finish.ts for three components (residual.ts residualGradient3), rows of m
  ;; values: E = Y − Σ_r e_r c_r (e_r = A[p, r] B[n, r] per row, in split form at e + 96·q + 32·r; c at
  ;; c + 48·k + 16·r, interleaved), φ = Σ |E|² (returned), per row t_r = Σ_k conj(c_r[k]) E_k to
  ;; t + 48·q + 16·r, and gc[k, r] += conj(e_r) E_k (gc laid out as c). The arithmetic of the scalar loop.
  (func (export "residualRows3") (param $y i32) (param $rows i32) (param $m i32) (param $e i32) (param $c i32)
      (param $t i32) (param $gc i32) (result f64)
    (local $q i32) (local $yp i32) (local $cp i32) (local $gp i32) (local $end i32) (local $phi f64)
    (local $e0r v128) (local $e0s v128) (local $e1r v128) (local $e1s v128) (local $e2r v128) (local $e2s v128)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $v v128) (local $d v128) (local $ds v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128)
    (local.set $yp (local.get $y))
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $q) (local.get $rows)))
        (local.set $e0r (v128.load (local.get $e)))
        (local.set $e0s (v128.load offset=16 (local.get $e)))
        (local.set $e1r (v128.load offset=32 (local.get $e)))
        (local.set $e1s (v128.load offset=48 (local.get $e)))
        (local.set $e2r (v128.load offset=64 (local.get $e)))
        (local.set $e2s (v128.load offset=80 (local.get $e)))
        (local.set $t0 (v128.const f64x2 0 0))
        (local.set $t1 (v128.const f64x2 0 0))
        (local.set $t2 (v128.const f64x2 0 0))
        (local.set $cp (local.get $c))
        (local.set $gp (local.get $gc))
        (local.set $end (i32.add (local.get $yp) (i32.shl (local.get $m) (i32.const 4))))
        (block $kDone
          (loop $ks
            (br_if $kDone (i32.ge_u (local.get $yp) (local.get $end)))
            (local.set $c0 (v128.load (local.get $cp)))
            (local.set $c1 (v128.load offset=16 (local.get $cp)))
            (local.set $c2 (v128.load offset=32 (local.get $cp)))
            ;; the model, left to right as the scalar expression
            (local.set $v (f64x2.add (f64x2.mul (local.get $c0) (local.get $e0r))
              (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $c0) (local.get $c0)) (local.get $e0s))))
            (local.set $v (f64x2.add (local.get $v) (f64x2.mul (local.get $c1) (local.get $e1r))))
            (local.set $v (f64x2.add (local.get $v)
              (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $c1) (local.get $c1)) (local.get $e1s))))
            (local.set $v (f64x2.add (local.get $v) (f64x2.mul (local.get $c2) (local.get $e2r))))
            (local.set $v (f64x2.add (local.get $v)
              (f64x2.mul (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $c2) (local.get $c2)) (local.get $e2s))))
            (local.set $d (f64x2.sub (v128.load (local.get $yp)) (local.get $v)))
            (local.set $ds (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $d) (local.get $d)))
            ;; φ += dr² + di²
            (local.set $v (f64x2.mul (local.get $d) (local.get $d)))
            (local.set $phi (f64.add (local.get $phi)
              (f64.add (f64x2.extract_lane 0 (local.get $v)) (f64x2.extract_lane 1 (local.get $v)))))
            ;; t_r += conj(c_r) d = d·(cr, cr) + swap(d)·(ci, −ci)
            (local.set $t0 (f64x2.add (local.get $t0) (f64x2.add
              (f64x2.mul (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $c0) (local.get $c0)))
              (f64x2.mul (local.get $ds) (f64x2.mul
                (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $c0) (local.get $c0))
                (v128.const f64x2 1 -1))))))
            (local.set $t1 (f64x2.add (local.get $t1) (f64x2.add
              (f64x2.mul (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $c1) (local.get $c1)))
              (f64x2.mul (local.get $ds) (f64x2.mul
                (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $c1) (local.get $c1))
                (v128.const f64x2 1 -1))))))
            (local.set $t2 (f64x2.add (local.get $t2) (f64x2.add
              (f64x2.mul (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 (local.get $c2) (local.get $c2)))
              (f64x2.mul (local.get $ds) (f64x2.mul
                (i8x16.shuffle 8 9 10 11 12 13 14 15 8 9 10 11 12 13 14 15 (local.get $c2) (local.get $c2))
                (v128.const f64x2 1 -1))))))
            ;; gc[k, r] = (gc + d·(er, er)) + swap(d)·(ei, −ei) (as the scalar gc + er·dr + ei·di); (ei, −ei) = −(−ei, ei)
            (v128.store (local.get $gp) (f64x2.add
              (f64x2.add (v128.load (local.get $gp)) (f64x2.mul (local.get $d) (local.get $e0r)))
              (f64x2.mul (local.get $ds) (f64x2.neg (local.get $e0s)))))
            (v128.store offset=16 (local.get $gp) (f64x2.add
              (f64x2.add (v128.load offset=16 (local.get $gp)) (f64x2.mul (local.get $d) (local.get $e1r)))
              (f64x2.mul (local.get $ds) (f64x2.neg (local.get $e1s)))))
            (v128.store offset=32 (local.get $gp) (f64x2.add
              (f64x2.add (v128.load offset=32 (local.get $gp)) (f64x2.mul (local.get $d) (local.get $e2r)))
              (f64x2.mul (local.get $ds) (f64x2.neg (local.get $e2s)))))
            (local.set $yp (i32.add (local.get $yp) (i32.const 16)))
            (local.set $cp (i32.add (local.get $cp) (i32.const 48)))
            (local.set $gp (i32.add (local.get $gp) (i32.const 48)))
            (br $ks)))
        (v128.store (local.get $t) (local.get $t0))
        (v128.store offset=16 (local.get $t) (local.get $t1))
        (v128.store offset=32 (local.get $t) (local.get $t2))
        (local.set $t (i32.add (local.get $t) (i32.const 48)))
        (local.set $e (i32.add (local.get $e) (i32.const 96)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $rowLoop)))
    (local.get $phi)
  )

  ;; Pass 1 of a CP-ALS sweep for three components (mttkrp.ts contract3): per row q of m values of y,
  ;; t_r = Σ_k conj(c_r[k]) y_k to t + 48·q + 16·r; c in conjugate split form at cs + 96·k + 32·r:
  ;; (cr, cr) then (ci, −ci).
  (func (export "contractRows3") (param $y i32) (param $rows i32) (param $m i32) (param $cs i32) (param $t i32)
    (local $q i32) (local $cp i32) (local $end i32) (local $yv v128) (local $ys v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128)
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $q) (local.get $rows)))
        (local.set $s0 (v128.const f64x2 0 0))
        (local.set $s1 (v128.const f64x2 0 0))
        (local.set $s2 (v128.const f64x2 0 0))
        (local.set $cp (local.get $cs))
        (local.set $end (i32.add (local.get $y) (i32.shl (local.get $m) (i32.const 4))))
        (block $kDone
          (loop $ks
            (br_if $kDone (i32.ge_u (local.get $y) (local.get $end)))
            (local.set $yv (v128.load (local.get $y)))
            (local.set $ys (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $yv) (local.get $yv)))
            (local.set $s0 (f64x2.add (local.get $s0) (f64x2.add
              (f64x2.mul (local.get $yv) (v128.load (local.get $cp)))
              (f64x2.mul (local.get $ys) (v128.load offset=16 (local.get $cp))))))
            (local.set $s1 (f64x2.add (local.get $s1) (f64x2.add
              (f64x2.mul (local.get $yv) (v128.load offset=32 (local.get $cp)))
              (f64x2.mul (local.get $ys) (v128.load offset=48 (local.get $cp))))))
            (local.set $s2 (f64x2.add (local.get $s2) (f64x2.add
              (f64x2.mul (local.get $yv) (v128.load offset=64 (local.get $cp)))
              (f64x2.mul (local.get $ys) (v128.load offset=80 (local.get $cp))))))
            (local.set $y (i32.add (local.get $y) (i32.const 16)))
            (local.set $cp (i32.add (local.get $cp) (i32.const 96)))
            (br $ks)))
        (v128.store (local.get $t) (local.get $s0))
        (v128.store offset=16 (local.get $t) (local.get $s1))
        (v128.store offset=32 (local.get $t) (local.get $s2))
        (local.set $t (i32.add (local.get $t) (i32.const 48)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $rowLoop)))
  )

  ;; Pass 2 of a CP-ALS sweep for three components (mttkrp.ts accumulate3): for each row q of m values of
  ;; y, xc[k, r] += e_r y_k, summed as the scalar (xc + er·yr) − ei·yi, (xc + er·yi) + ei·yr, with
  ;; e_r = conj(A[p, r] B[n, r]) in split form at e + 96·q + 32·r; xc at xc + 48·k + 16·r.
  (func (export "accumulateRows3") (param $y i32) (param $rows i32) (param $m i32) (param $e i32) (param $xc i32)
    (local $q i32) (local $xp i32) (local $end i32) (local $yv v128) (local $ys v128)
    (local $e0r v128) (local $e0s v128) (local $e1r v128) (local $e1s v128) (local $e2r v128) (local $e2s v128)
    (block $rowsDone
      (loop $rowLoop
        (br_if $rowsDone (i32.ge_u (local.get $q) (local.get $rows)))
        (local.set $e0r (v128.load (local.get $e)))
        (local.set $e0s (v128.load offset=16 (local.get $e)))
        (local.set $e1r (v128.load offset=32 (local.get $e)))
        (local.set $e1s (v128.load offset=48 (local.get $e)))
        (local.set $e2r (v128.load offset=64 (local.get $e)))
        (local.set $e2s (v128.load offset=80 (local.get $e)))
        (local.set $xp (local.get $xc))
        (local.set $end (i32.add (local.get $y) (i32.shl (local.get $m) (i32.const 4))))
        (block $kDone
          (loop $ks
            (br_if $kDone (i32.ge_u (local.get $y) (local.get $end)))
            (local.set $yv (v128.load (local.get $y)))
            (local.set $ys (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $yv) (local.get $yv)))
            (v128.store (local.get $xp) (f64x2.add
              (f64x2.add (v128.load (local.get $xp)) (f64x2.mul (local.get $yv) (local.get $e0r)))
              (f64x2.mul (local.get $ys) (local.get $e0s))))
            (v128.store offset=16 (local.get $xp) (f64x2.add
              (f64x2.add (v128.load offset=16 (local.get $xp)) (f64x2.mul (local.get $yv) (local.get $e1r)))
              (f64x2.mul (local.get $ys) (local.get $e1s))))
            (v128.store offset=32 (local.get $xp) (f64x2.add
              (f64x2.add (v128.load offset=32 (local.get $xp)) (f64x2.mul (local.get $yv) (local.get $e2r)))
              (f64x2.mul (local.get $ys) (local.get $e2s))))
            (local.set $y (i32.add (local.get $y) (i32.const 16)))
            (local.set $xp (i32.add (local.get $xp) (i32.const 48)))
            (br $ks)))
        (local.set $e (i32.add (local.get $e) (i32.const 96)))
        (local.set $q (i32.add (local.get $q) (i32.const 1)))
        (br $rowLoop)))
  )
)
