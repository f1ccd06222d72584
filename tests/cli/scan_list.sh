# The test folder's dll.conf loads the pnm and test backends (two devices each).
timeout 60 "$FILASTACK" scan --list
