"$FILASTACK" profiles validate "$DATA"/profiles/truncated.json
