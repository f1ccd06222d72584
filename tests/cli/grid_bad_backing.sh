# A backing filament that is not one of the grid's: a usage error, no folder.
"$FILASTACK" calibrate grid --backing purple:0.64 -o out
rc=$?
ls
exit $rc
