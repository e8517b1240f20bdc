# Read after scripts/Makefile.build (make -f .../Makefile.build -f kbuild-truth.mk):
# Kbuild itself computes real-obj-y, real-obj-m, lib-y and the subdirectories with its own
# scripts/Makefile.lib; this file only prints them and descends, instead of compiling.
.DEFAULT_GOAL := sever-truth
PHONY += sever-truth
sever-truth: $(subdir-ym)
	@printf 'DIR %s builtin=%s modorder=%s\n' '$(obj)' '$(need-builtin)' '$(need-modorder)'
	$(if $(need-builtin),@printf 'Y %s\n' $(filter %.o,$(real-obj-y)) /dev/null)
	@printf 'L %s\n' $(filter %.o,$(lib-y)) /dev/null
	$(if $(need-modorder),@printf 'M %s\n' $(filter %.o,$(real-obj-m)) /dev/null)
	$(if $(need-modorder),@printf 'K %s\n' $(filter %.o,$(obj-m)) /dev/null)
