"$FILASTACK" profiles list | grep -q "Cyan PLA"
