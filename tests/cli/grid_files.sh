# The files of a grid, byte-identical when made again; with --pages every
# page has its own grid_pN.* files and one README covers them all.
"$FILASTACK" -q calibrate grid --printer prusa-mk4s-mmu3 -o a
"$FILASTACK" -q calibrate grid --printer prusa-mk4s-mmu3 -o b
ls a
cmp -s <(cd a && cat $(ls)) <(cd b && cat $(ls)) && echo identical
"$FILASTACK" calibrate grid --printer prusa-mk4s-mmu3 --layers 5 --pages --3mf none -o p
ls p
