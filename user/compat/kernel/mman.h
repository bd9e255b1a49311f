/* user/compat/kernel/mman.h - mmap flags for user programs (`#include "kernel/mman.h"`). */
#include <uapi/pagoda/mman.h>
