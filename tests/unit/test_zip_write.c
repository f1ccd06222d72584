#include "tkit.h"
int main(void) { return TKIT_DONE(); }
