;; The oblivious trees' walk, eight rows per instruction (WebAssembly SIMD, 128-bit: 8 lanes of i16).
;; Source of oblivious-walk.wasm: `npm run build:kernel` compiles it (oblivious-trees.test.ts checks the two agree).
;;
;; Memory, laid out by ObliviousScorer (models/boosting/oblivious-ensemble.ts), all addresses in bytes:
;;   levels  per tree, `depth` pairs of i32: the byte offset of the level's column of ranks (from
;;           `ranks`), and the rank of its threshold
;;   leaves  f64: tree t, leaf j, class c at ((t << depth) + j) · k + c
;;   ranks   i16 columns of a block of rows: each row's rank among its feature's thresholds
;;   sums    f64 rows × k: the leaf values are added here, tree after tree
;;   scratch 16 bytes
;; A row's leaf is the number whose bit l is set when rank > the level's rank (the row went right).
(module
  (import "env" "memory" (memory 1))
  (func (export "walk")
    (param $trees i32) (param $depth i32) (param $k i32) (param $levels i32) (param $leaves i32)
    (param $ranks i32) (param $sums i32) (param $groups i32) (param $scratch i32)
    (local $t i32) (local $g i32) (local $l i32) (local $level i32) (local $acc v128)
    (local $lane i32) (local $src i32) (local $dst i32) (local $c i32) (local $treeLeaves i32)
    (local $leafBytes i32) (local $rowBytes i32) (local $column i32)
    (local.set $rowBytes (i32.shl (local.get $k) (i32.const 3)))
    (local.set $leafBytes (i32.shl (local.get $rowBytes) (local.get $depth)))
    (local.set $treeLeaves (local.get $leaves))
    (local.set $level (local.get $levels))
    (block $trees_done
      (loop $tree
        (br_if $trees_done (i32.ge_u (local.get $t) (local.get $trees)))
        (local.set $g (i32.const 0))
        (local.set $column (local.get $ranks))
        (block $groups_done
          (loop $group
            (br_if $groups_done (i32.ge_u (local.get $g) (local.get $groups)))
            ;; the leaf of each of the group's eight rows
            (local.set $acc (v128.const i16x8 0 0 0 0 0 0 0 0))
            (local.set $l (i32.const 0))
            (loop $lvl
              (local.set $acc
                (v128.or (local.get $acc)
                  (v128.and
                    (i16x8.gt_s
                      (v128.load (i32.add (local.get $column)
                        (i32.load (i32.add (local.get $level) (i32.shl (local.get $l) (i32.const 3))))))
                      (i16x8.splat (i32.load offset=4 (i32.add (local.get $level) (i32.shl (local.get $l) (i32.const 3))))))
                    (i16x8.splat (i32.shl (i32.const 1) (local.get $l))))))
              (local.set $l (i32.add (local.get $l) (i32.const 1)))
              (br_if $lvl (i32.lt_u (local.get $l) (local.get $depth))))
            (v128.store (local.get $scratch) (local.get $acc))
            ;; each row adds its leaf's k values to its sums
            (local.set $lane (i32.const 0))
            (local.set $dst (i32.add (local.get $sums) (i32.mul (i32.shl (local.get $g) (i32.const 3)) (local.get $rowBytes))))
            (loop $row
              (local.set $src (i32.add (local.get $treeLeaves)
                (i32.mul (i32.load16_u (i32.add (local.get $scratch) (i32.shl (local.get $lane) (i32.const 1)))) (local.get $rowBytes))))
              (if (i32.eq (local.get $k) (i32.const 4))
                (then
                  ;; four classes, written out
                  (f64.store offset=0 (local.get $dst) (f64.add (f64.load offset=0 (local.get $dst)) (f64.load offset=0 (local.get $src))))
                  (f64.store offset=8 (local.get $dst) (f64.add (f64.load offset=8 (local.get $dst)) (f64.load offset=8 (local.get $src))))
                  (f64.store offset=16 (local.get $dst) (f64.add (f64.load offset=16 (local.get $dst)) (f64.load offset=16 (local.get $src))))
                  (f64.store offset=24 (local.get $dst) (f64.add (f64.load offset=24 (local.get $dst)) (f64.load offset=24 (local.get $src))))
                  (local.set $dst (i32.add (local.get $dst) (i32.const 32))))
                (else
                  (local.set $c (i32.const 0))
                  (loop $class
                    (f64.store (local.get $dst) (f64.add (f64.load (local.get $dst)) (f64.load (local.get $src))))
                    (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
                    (local.set $src (i32.add (local.get $src) (i32.const 8)))
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br_if $class (i32.lt_u (local.get $c) (local.get $k))))))
              (local.set $lane (i32.add (local.get $lane) (i32.const 1)))
              (br_if $row (i32.lt_u (local.get $lane) (i32.const 8))))
            (local.set $column (i32.add (local.get $column) (i32.const 16)))
            (local.set $g (i32.add (local.get $g) (i32.const 1)))
            (br $group)))
        (local.set $treeLeaves (i32.add (local.get $treeLeaves) (local.get $leafBytes)))
        (local.set $level (i32.add (local.get $level) (i32.shl (local.get $depth) (i32.const 3))))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $tree))))
)
