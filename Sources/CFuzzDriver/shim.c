// SwiftPM needs one source file in a C target; LLVMFuzzerRunDriver comes from libFuzzer.
