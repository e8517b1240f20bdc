#ifndef SEVER_CFUZZDRIVER_H
#define SEVER_CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

/* libFuzzer's driver (compiler-rt, linked by -sanitize=fuzzer): runs the fuzzing loop with the
   command-line flags in argv, calling callback once per input. Only called in FUZZING builds. */
int LLVMFuzzerRunDriver(int *argc, char ***argv,
                        int (*callback)(const uint8_t *data, size_t size));

#endif
