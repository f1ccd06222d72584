# An option the backend reports but software cannot set.
timeout 60 "$FILASTACK" scan -d test:0 --set enable-test-options=yes \
    --set bool-soft-detect=yes -o out.png
