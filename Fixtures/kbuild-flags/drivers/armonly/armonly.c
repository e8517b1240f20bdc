/* Built for arm64 only (written for sever). */
#if ARCH_FLAG != 8
#error "parsed under the wrong architecture"
#endif
int armonly;
