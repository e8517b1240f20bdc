# Kbuild truth printer. Read after scripts/Makefile.build:
#   make -rR -f $(srctree)/scripts/Makefile.build -f kbuild-truth.mk obj=DIR need-builtin=1 …
# Kbuild itself reads the directory's kbuild file and computes real-obj-y, real-obj-m, lib-y
# and subdir-ym with its own scripts/Makefile.lib; this file only prints those lists and
# descends (with Kbuild's own need-builtin/need-modorder rules) instead of compiling.

# Never try to remake a makefile: with obj=. Kbuild's `$(obj)/%.mod` rule would match them.
$(MAKEFILE_LIST): ;

.DEFAULT_GOAL := sever-truth
PHONY += sever-truth
sever-truth: $(subdir-ym)
	@printf 'DIR %s builtin=%s modorder=%s\n' '$(obj)' '$(need-builtin)' '$(need-modorder)'
	$(if $(need-builtin),@printf 'Y %s\n' $(filter %.o,$(real-obj-y)) /dev/null)
	$(if $(need-builtin),@printf 'L %s\n' $(filter %.o,$(lib-y)) /dev/null)
	$(if $(need-modorder),@printf 'M %s\n' $(filter %.o,$(real-obj-m)) /dev/null)
