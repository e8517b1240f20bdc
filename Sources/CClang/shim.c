// SwiftPM needs one source file in a C target; libclang itself comes from the system (-lclang-14).
